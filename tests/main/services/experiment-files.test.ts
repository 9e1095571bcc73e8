import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync, promises as fsp } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileError, readExperimentFile } from '../../../src/main/services'

const fixtures = join(__dirname, '../../fixtures')
let dir: string
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'bplab-read-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const failure = (path: string) =>
  readExperimentFile(path).then(
    () => expect.unreachable('should have thrown'),
    (e: unknown) => e as FileError
  )

describe('readExperimentFile', () => {
  it.each(['v1-sheet.json', 'v2-sheet.bplab', 'v2-seeded-tanh.bplab'])('reads %s of any format version', async (name) => {
    const file = await readExperimentFile(join(fixtures, name))
    const bytes = readFileSync(join(fixtures, name))
    expect(file).toEqual({
      name,
      path: join(fixtures, name),
      text: bytes.toString('utf8'),
      // What Save compares with the disk later: size, mtime and SHA-256 of exactly the bytes read.
      stamp: { size: bytes.length, mtimeMs: statSync(join(fixtures, name)).mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') },
    })
  })

  it('refuses a file that fails validation, with the field and the problem', async () => {
    const path = join(dir, 'bad.bplab')
    writeFileSync(path, readFileSync(join(fixtures, 'v2-sheet.bplab'), 'utf8').replace('"layers": [2, 2, 2]', '"layers": [2, 0, 2]'))
    const e = await failure(path)
    expect(e).toBeInstanceOf(FileError)
    expect(e.message).toMatch(/^Could not open "bad\.bplab": network\.layers\[1\]: .*\.$/)
  })

  it('refuses a 200 MB file by its size, without reading it', async () => {
    const path = join(dir, 'huge.bplab')
    const fh = await open(path, 'w')
    await fh.truncate(200 * 1024 * 1024) // sparse: 200 MB long, nothing to read from disk
    await fh.close()
    // Every read of every file the service opens, counted.
    let reads = 0
    const realOpen = fsp.open
    const opened = vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args)
      const realRead = handle.read.bind(handle) as (...a: unknown[]) => unknown
      Object.assign(handle, { read: (...a: unknown[]) => (reads++, realRead(...a)) })
      return handle
    })
    const e = await failure(path)
    opened.mockRestore()
    expect(reads).toBe(0)
    expect(e.message).toBe('Could not open "huge.bplab": it is 209,715,200 bytes (200 MB); files up to 128 MB can be opened.')
  })

  it('says when the file has vanished, is a folder, or is binary junk', async () => {
    expect((await failure(join(dir, 'gone.bplab'))).message).toBe('Could not open "gone.bplab": it does not exist.')
    mkdirSync(join(dir, 'folder.bplab'))
    expect((await failure(join(dir, 'folder.bplab'))).message).toBe('Could not open "folder.bplab": it is not a regular file.')
    writeFileSync(join(dir, 'junk.bplab'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]))
    expect((await failure(join(dir, 'junk.bplab'))).message).toMatch(/^Could not open "junk\.bplab": file: is not valid JSON/)
  })

  it('accepts a byte order mark, as Windows editors write', async () => {
    const path = join(dir, 'bom.bplab')
    writeFileSync(path, '\ufeff' + readFileSync(join(fixtures, 'v1-sheet.json'), 'utf8'))
    await expect(readExperimentFile(path)).resolves.toMatchObject({ name: 'bom.bplab' })
  })
})

describe('regular files only, checked before opening (issue 12 item 11)', () => {
  it.skipIf(process.platform === 'win32')('a FIFO named x.json is refused at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'x.json')
    execFileSync('mkfifo', [fifo])
    // Before the check, opening it for reading waited forever for a writer: the test timed out.
    await expect(readExperimentFile(fifo)).rejects.toThrow(/^Could not open "x\.json": it is not a regular file\.$/)
  }, 10_000)

  it.skipIf(process.platform === 'win32')('a device is refused too', async () => {
    await expect(readExperimentFile('/dev/zero')).rejects.toThrow(/^Could not open "zero": it is not a regular file\.$/)
  })

  it('never quotes the content of a file that is not an experiment', async () => {
    const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
    for (const [name, text] of [
      ['a.json', JSON.stringify({ format: secret })],
      ['b.json', JSON.stringify(secret)],
      ['c.json', `${secret}: true`],
      ['d.json', `{"${secret}": NaN}`],
    ]) {
      writeFileSync(join(dir, name), text)
      const e = await readExperimentFile(join(dir, name)).catch((error: Error) => error)
      expect(e).toBeInstanceOf(Error)
      expect((e as Error).message).not.toContain('sk_')
    }
  })
})
