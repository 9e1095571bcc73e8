import { spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Autosave, atomicWrite, FileError, nodeFs, openAtomic, saveExperimentFile, type AtomicFs, type FileHandleLike } from '../../../src/main/services'

/**
 * Issue 12 A4: a save keeps what the user owns — symlinks, mode, owner, hard links, read-only
 * files — and cleans up after saves that were killed; autosave writes are serialized. Real files in
 * a temp folder; faults are injected at real calls through the writer's fs seam.
 */
const fixtures = join(__dirname, '../../fixtures')
const OLD = readFileSync(join(fixtures, 'v2-sheet.bplab'), 'utf8')
const NEW = readFileSync(join(fixtures, 'v2-seeded-tanh.bplab'), 'utf8')

let dir: string
let target: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bplab-keep-'))
  target = join(dir, 'experiment.bplab')
  writeFileSync(target, OLD)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const temps = (folder = dir) => readdirSync(folder).filter((f) => f.endsWith('.tmp'))
const errno = (code: string) => Object.assign(new Error(`${code}: injected at a real call`), { code })
const fails = (e: unknown) => e as FileError

describe('a save keeps what the user owns', () => {
  it('saves through a symlink to its target: the link stays a link', async () => {
    const real = join(dir, 'real')
    mkdirSync(real)
    const file = join(real, 'doc.bplab')
    writeFileSync(file, OLD)
    const link = join(dir, 'link.bplab')
    symlinkSync('real/doc.bplab', link) // relative, as users make them
    await saveExperimentFile(link, NEW)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe('real/doc.bplab')
    expect(readFileSync(file, 'utf8')).toBe(NEW)
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(OLD)
    expect(temps(real)).toEqual([])
  })

  it('a chain of links and a dangling link: the final target is written', async () => {
    const file = join(dir, 'final.bplab')
    symlinkSync(file, join(dir, 'b.bplab'))
    symlinkSync(join(dir, 'b.bplab'), join(dir, 'a.bplab'))
    await atomicWrite(join(dir, 'a.bplab'), 'first') // dangling: the target is created
    expect(readFileSync(file, 'utf8')).toBe('first')
    expect(lstatSync(join(dir, 'a.bplab')).isSymbolicLink()).toBe(true)
    expect(lstatSync(join(dir, 'b.bplab')).isSymbolicLink()).toBe(true)
  })

  it('keeps mode 0600 (and 0640, 0755)', async () => {
    for (const mode of [0o600, 0o640, 0o755]) {
      chmodSync(target, mode)
      await saveExperimentFile(target, NEW)
      expect(statSync(target).mode & 0o7777, mode.toString(8)).toBe(mode)
    }
  })

  it('keeps the owner where permitted (we run as root here)', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip()
    chownSync(target, 4321, 8765)
    await saveExperimentFile(target, NEW)
    expect(statSync(target)).toMatchObject({ uid: 4321, gid: 8765 })
    expect(readFileSync(target, 'utf8')).toBe(NEW)
  })

  it('keeps hard links: every name shows the new content, same inode', async () => {
    const other = join(dir, 'other-name.bplab')
    linkSync(target, other)
    const inode = statSync(target).ino
    await saveExperimentFile(target, NEW)
    expect(statSync(target).ino).toBe(inode)
    expect(statSync(target).nlink).toBe(2)
    expect(readFileSync(other, 'utf8')).toBe(NEW)
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(OLD)
    // Shorter content: the rest of the old file is cut off.
    await saveExperimentFile(target, OLD)
    expect(readFileSync(other, 'utf8')).toBe(OLD)
    expect(temps()).toEqual([])
  })

  it('a hard-linked file on a full disk: the failure comes before the file is touched', async () => {
    linkSync(target, join(dir, 'other-name.bplab'))
    const error = fails(await saveExperimentFile(target, NEW, { fs: failWrites('wx', 'ENOSPC') }).catch((e: unknown) => e))
    expect(error.step).toBe('write')
    expect(error.message).toMatch(/the disk is full\)\. The file on disk is unchanged\.$/)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(temps()).toEqual([])
  })

  it('a hard-linked file whose in-place write fails says so and names the .bak', async () => {
    linkSync(target, join(dir, 'other-name.bplab'))
    const error = fails(await saveExperimentFile(target, NEW, { fs: failWrites('r+', 'EIO', target) }).catch((e: unknown) => e))
    expect(error.step).toBe('write-in-place')
    expect(error.message).toMatch(/input\/output error\)\. The file may be incomplete; its previous version is kept as "experiment\.bplab\.bak"\.$/)
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(OLD)
    expect(temps()).toEqual([])
  })

  it('refuses a read-only (0444) file with a clear message before writing anything, even as root', async () => {
    chmodSync(target, 0o444)
    const error = fails(await saveExperimentFile(target, NEW).catch((e: unknown) => e))
    expect(error).toBeInstanceOf(FileError)
    expect(error.step).toBe('check')
    expect(error.message).toBe(
      'Could not save "experiment.bplab": the file is read-only. Nothing was written; use Save As to save a copy, or make the file writable first.'
    )
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(readdirSync(dir)).toEqual(['experiment.bplab']) // no temp, no .bak
    expect(statSync(target).mode & 0o777).toBe(0o444)
  })

  it('refuses a folder in place of the file', async () => {
    rmSync(target)
    mkdirSync(target)
    const error = fails(await atomicWrite(target, 'x').catch((e: unknown) => e))
    expect(error.message).toMatch(/it is not a regular file\. Nothing was written\./)
  })
})

describe('stale temp files', () => {
  it('the next save removes temp files of the app left by processes that are gone, and nothing else', async () => {
    const dead = await deadPid()
    const stale = [`.experiment.bplab.${dead}.0badf00d.tmp`, `.other.bplab.${dead}.12345678.tmp`, `.experiment.bplab.bak.${dead}.abcdef01.tmp`, `x.xlsx.${dead}-1700000000000.partial`]
    const kept = [
      `.experiment.bplab.${process.ppid}.0badf00d.tmp`, // a live process (a save running elsewhere)
      'notes.tmp',
      '.hidden.tmp',
      `.experiment.bplab.${dead}.NOTHEX!!.tmp`,
    ]
    for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), 'x')
    await saveExperimentFile(target, NEW)
    const left = readdirSync(dir)
    for (const name of stale) expect(left, name).not.toContain(name)
    for (const name of kept) expect(left, name).toContain(name)
  })
})

describe('the streaming writer (exports, CLI)', () => {
  it('streams, commits, and keeps mode; abort leaves the old file and no temp', async () => {
    chmodSync(target, 0o600)
    const file = await openAtomic(target)
    for (let i = 0; i < 1000; i++) file.stream.write(`line ${i}\n`)
    await file.commit()
    expect(readFileSync(target, 'utf8').split('\n')).toHaveLength(1001)
    expect(statSync(target).mode & 0o777).toBe(0o600)
    const aborted = await openAtomic(target)
    aborted.stream.write('half')
    await aborted.abort()
    await aborted.abort() // twice is fine
    expect(readFileSync(target, 'utf8')).toMatch(/^line 0\n/)
    expect(temps()).toEqual([])
  })

  it.each(['write', 'sync', 'rename'] as const)('a failure at "%s" while streaming keeps the old file and no temp', async (step) => {
    const fs: AtomicFs = {
      ...(step === 'write' ? failWrites('wx', 'ENOSPC') : nodeFs),
      ...(step === 'sync' && {
        open: async (path, flags, mode) => ({ ...bind(await nodeFs.open(path, flags, mode)), sync: async () => Promise.reject(errno('EIO')) }),
      }),
      ...(step === 'rename' && { rename: async () => Promise.reject(errno('EXDEV')) }),
    }
    const file = await openAtomic(target, { fs })
    file.stream.on('error', () => undefined)
    file.stream.write('new content')
    const error = fails(await file.commit().catch((e: unknown) => e))
    expect(error).toBeInstanceOf(FileError)
    expect(error.step).toBe(step)
    expect(readFileSync(target, 'utf8')).toBe(OLD)
    expect(temps()).toEqual([])
  })
})

describe('autosave writes are serialized', () => {
  it('a write that started before a clear never lands after it', async () => {
    for (let i = 0; i < 20; i++) {
      const autosave = new Autosave(join(dir, `data-${i}`))
      const writing = autosave.write(`work ${i}`)
      const clearing = autosave.clear()
      await Promise.all([writing, clearing])
      expect(existsSync(autosave.file), `round ${i}`).toBe(false)
    }
  })

  it('writes land in the order they were asked for', async () => {
    const autosave = new Autosave(dir)
    await Promise.all(Array.from({ length: 10 }, (_, i) => autosave.write(`v${i}`)))
    expect(readFileSync(autosave.file, 'utf8')).toBe('v9')
  })
})

/** The real file system, except that writes through handles opened with `flags` (on `path`) fail with `code`. */
function failWrites(flags: string, code: string, path?: string): AtomicFs {
  return {
    ...nodeFs,
    open: async (p, f, mode) => {
      const fh = bind(await nodeFs.open(p, f, mode))
      return f === flags && (path === undefined || p === path) ? { ...fh, writeFile: async () => Promise.reject(errno(code)) } : fh
    },
  }
}

/** A FileHandle's methods bound to it, so a test can replace one and spread the rest. */
function bind(fh: FileHandleLike): FileHandleLike {
  return {
    writeFile: (data) => fh.writeFile(data),
    sync: () => fh.sync(),
    close: () => fh.close(),
    chmod: (mode) => fh.chmod(mode),
    chown: (uid, gid) => fh.chown(uid, gid),
    truncate: (length) => fh.truncate(length),
  }
}

/** The pid of a process that has ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', () => resolve(child.pid!))
  })
}

describe('devices and pipes', () => {
  it('the CLI writes straight into /dev/null; the app refuses a device as a document', async () => {
    const file = await openAtomic('/dev/null', { devices: 'write-through' })
    await file.write('discarded')
    await file.commit()
    expect(existsSync('/dev/null')).toBe(true)
    const error = fails(await atomicWrite('/dev/null', 'x').catch((e: unknown) => e))
    expect(error.message).toMatch(/it is not a regular file\. Nothing was written\./)
  })
})
