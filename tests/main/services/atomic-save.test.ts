import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeFs, saveExperimentFile, FileError, type AtomicFs, type FileHandleLike, type SaveStep } from '../../../src/main/services'
import { spawnSync } from 'node:child_process'

const fixtures = join(__dirname, '../../fixtures')
const OLD = readFileSync(join(fixtures, 'v2-sheet.bplab'), 'utf8')
const NEW = readFileSync(join(fixtures, 'v2-seeded-tanh.bplab'), 'utf8')
const root = join(__dirname, '../../..')

let dir: string
let target: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bplab-save-'))
  target = join(dir, 'experiment.bplab')
  writeFileSync(target, OLD)
})
afterEach(() => {
  spawnSync('chattr', ['-i', dir])
  rmSync(dir, { recursive: true, force: true })
})

const errno = (code: string) => Object.assign(new Error(`${code}: injected at a real call`), { code })
const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'))

/** The real file system with one call failing after doing part of its real work. */
function failing(step: SaveStep): AtomicFs {
  const wrap = (fh: FileHandleLike, path: string): FileHandleLike => ({
    chmod: (mode) => fh.chmod(mode),
    chown: (uid, gid) => fh.chown(uid, gid),
    truncate: (length) => fh.truncate(length),
    writeFile: async (data) => {
      if (step === 'write' && path.endsWith('.tmp') && !path.includes('.bak.')) {
        await fh.writeFile(data.slice(0, data.length >> 1)) // half of it really reaches the file
        throw errno('ENOSPC')
      }
      return fh.writeFile(data)
    },
    sync: async () => {
      await fh.sync()
      if (step === 'sync') throw errno('EIO')
    },
    close: async () => {
      await fh.close()
      if (step === 'close') throw errno('EIO')
    },
  })
  return {
    open: async (path, flags) => {
      if (step === 'open-temp' && flags === 'wx') throw errno('EROFS')
      return wrap(await nodeFs.open(path, flags), path)
    },
    copyFile: async (from, to, mode) => {
      await nodeFs.copyFile(from, to, mode)
      if (step === 'backup') throw errno('ENOSPC')
    },
    rename: async (from, to) => {
      if (step === 'rename' && to === target) throw errno('EACCES')
      return nodeFs.rename(from, to)
    },
    unlink: nodeFs.unlink,
  }
}

describe('atomic save', () => {
  it('replaces the file, keeps the previous version as .bak and leaves no temp file', async () => {
    const { timings } = await saveExperimentFile(target, NEW)
    expect(readFileSync(target, 'utf8')).toBe(NEW)
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(OLD)
    expect(leftovers()).toEqual([])
    expect(Object.keys(timings).sort()).toEqual(['backup', 'check', 'close', 'open-temp', 'rename', 'sync', 'sync-folder', 'total', 'write'])
  })

  it('a first save makes no .bak; the next one keeps the first', async () => {
    const fresh = join(dir, 'fresh.bplab')
    await saveExperimentFile(fresh, OLD)
    expect(existsSync(`${fresh}.bak`)).toBe(false)
    await saveExperimentFile(fresh, NEW)
    expect(readFileSync(`${fresh}.bak`, 'utf8')).toBe(OLD)
  })

  it.each<[SaveStep, RegExp]>([
    ['open-temp', /creating a temporary file beside it failed \(the disk is read-only\)/],
    ['write', /writing the temporary file failed \(the disk is full\)/],
    ['sync', /flushing the temporary file to disk failed \(the disk reported an input\/output error\)/],
    ['close', /closing the temporary file failed/],
    ['backup', /keeping the previous version as a .bak file failed \(the disk is full\)/],
    ['rename', /replacing the file with the new version failed \(permission denied/],
  ])('a failure at "%s" leaves the old file intact, no temp file, and says what failed', async (step, message) => {
    writeFileSync(`${target}.bak`, 'the bak of an earlier save')
    const error = await saveExperimentFile(target, NEW, { fs: failing(step), renameDelayMs: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileError)
    expect((error as FileError).step).toBe(step)
    expect((error as FileError).message).toMatch(message)
    expect((error as FileError).message).toMatch(/^Could not save "experiment\.bplab": .* The file on disk is unchanged\.$/)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(leftovers()).toEqual([])
    // Before the backup step the earlier .bak is untouched (a failed backup must not damage it);
    // a failed rename comes after the backup, which by then holds the file's current content.
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(step === 'rename' ? OLD : 'the bak of an earlier save')
  })

  it('retries a rename refused for a moment (EPERM, as antivirus locks do) and then succeeds', async () => {
    let refusals = 0
    const fs: AtomicFs = {
      ...nodeFs,
      rename: async (from, to) => {
        if (to === target && refusals < 3) {
          refusals++
          throw errno(['EPERM', 'EBUSY', 'EACCES'][refusals - 1])
        }
        return nodeFs.rename(from, to)
      },
    }
    await saveExperimentFile(target, NEW, { fs, renameDelayMs: 1 })
    expect(refusals).toBe(3)
    expect(readFileSync(target, 'utf8')).toBe(NEW)
  })

  it('refuses an invalid document before touching the disk', async () => {
    const error = await saveExperimentFile(target, NEW.replace('"epochs": 200', '"epochs": -1')).then(
      () => expect.unreachable('should have failed'),
      (e: FileError) => e
    )
    expect(error.message).toMatch(/^Not saved: the experiment is not valid \(training\.epochs: /)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(readdirSync(dir)).toEqual(['experiment.bplab'])
  })
})

describe('atomic save against the real system, no injection', () => {
  it('a folder that is really read-only (ext4 immutable flag: root cannot create files in it either)', async (ctx) => {
    if (spawnSync('chattr', ['+i', dir]).status !== 0) ctx.skip() // tmpfs/overlay cannot carry the flag
    const error = await saveExperimentFile(target, NEW).then(
      () => expect.unreachable('should have failed'),
      (e: FileError) => e
    )
    spawnSync('chattr', ['-i', dir])
    expect(error).toBeInstanceOf(FileError)
    expect(error.step).toBe('open-temp')
    expect(error.code).toBe('EPERM')
    expect(error.message).toMatch(/creating a temporary file beside it failed \(permission denied/)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(leftovers()).toEqual([])
  })

  it('a folder that is a file', async () => {
    const error = await saveExperimentFile(join(target, 'inside.bplab'), NEW).then(
      () => expect.unreachable('should have failed'),
      (e: FileError) => e
    )
    expect(error.code).toBe('ENOTDIR')
    expect(error.message).toMatch(/a part of the path is not a folder/)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
  })

  it('a real write failure: the process may write at most 4 KB (ulimit -f), as on a full disk', async () => {
    const source = join(dir, 'big-source.bplab')
    const big = NEW.replace('"notes": "', `"notes": "${'x'.repeat(20_000)}`)
    writeFileSync(source, big)
    const out = await runChild([
      'bash',
      '-c',
      `ulimit -f 4 && exec node --import tsx tests/main/services/save-child.ts "$0" "$1" save`,
      target,
      source,
    ])
    const last = JSON.parse(out.lines.at(-1)!)
    expect(last).toMatchObject({ event: 'failed', step: 'write', code: 'EFBIG' })
    expect(last.message).toMatch(/writing the temporary file failed \(the file is larger than this disk or account allows\)/)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(leftovers()).toEqual([])
  })

  it('a process killed between write and rename leaves the old file intact', async () => {
    const source = join(dir, 'new-source.bplab')
    writeFileSync(source, NEW)
    const child = runChild(
      ['node', '--import', 'tsx', 'tests/main/services/save-child.ts', target, source, 'hang-before-rename'],
      (line, kill) => {
        if (JSON.parse(line).event === 'written') kill()
      }
    )
    const out = await child
    expect(out.signal).toBe('SIGKILL')
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    // The killed save had written and flushed its whole temp file: only the rename was missing.
    const temps = leftovers()
    expect(temps).toHaveLength(1)
    expect(readFileSync(join(dir, temps[0]), 'utf8')).toBe(NEW)
    // The .bak of the killed save is the old content too, and the next save works and removes the
    // dead process's temp file (issue 12 A4).
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(OLD)
    await saveExperimentFile(target, NEW)
    expect(readFileSync(target, 'utf8')).toBe(NEW)
    expect(leftovers()).toEqual([])
  })
})

function runChild(
  argv: string[],
  onLine?: (line: string, kill: () => void) => void
): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    let buffered = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        lines.push(line)
        onLine?.(line, () => child.kill('SIGKILL'))
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (lines.length === 0) reject(new Error(`child printed nothing (exit ${code}): ${stderr}`))
      else resolve({ lines, signal })
    })
  })
}
