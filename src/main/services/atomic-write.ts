import { randomBytes } from 'node:crypto'
import { constants, promises as fsp } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { FileError, reason } from './file-error'

/**
 * Replaces a file so that, whatever fails and whenever the process dies, the file holds either
 * its old or its new content in full: temp file opened 'wx' in the same folder, write, flush,
 * close, keep the previous version as `name.bak`, rename over the target (retrying the brief
 * EPERM/EACCES/EBUSY locks of Windows virus scanners and indexers), flush the folder.
 */
export type SaveStep = 'open-temp' | 'write' | 'sync' | 'close' | 'backup' | 'rename' | 'sync-folder'

export interface FileHandleLike {
  writeFile(data: string, encoding: 'utf8'): Promise<void>
  sync(): Promise<void>
  close(): Promise<void>
}

/** The file system calls a save makes; tests replace one of them to fail for real at that step. */
export interface AtomicFs {
  open(path: string, flags: string): Promise<FileHandleLike>
  copyFile(from: string, to: string, mode: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
}

export const nodeFs: AtomicFs = {
  open: (path, flags) => fsp.open(path, flags),
  copyFile: (from, to, mode) => fsp.copyFile(from, to, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
}

export interface AtomicOptions {
  fs?: AtomicFs
  /** Keep the previous content as `<target>.bak` (documents: yes; stores and autosave: no). */
  backup?: boolean
  /** Called before each step; a test can pause or kill the process here. */
  beforeStep?: (step: SaveStep) => void | Promise<void>
  /** Rename attempts and the first delay (doubled each time). */
  renameAttempts?: number
  renameDelayMs?: number
}

/** Milliseconds spent in each step. */
export type SaveTimings = Partial<Record<SaveStep, number>> & { total: number }

const WHAT: Record<SaveStep, string> = {
  'open-temp': 'creating a temporary file beside it',
  write: 'writing the temporary file',
  sync: 'flushing the temporary file to disk',
  close: 'closing the temporary file',
  backup: 'keeping the previous version as a .bak file',
  rename: 'replacing the file with the new version',
  'sync-folder': 'flushing the folder',
}

const RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY'])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function atomicWrite(target: string, text: string, options: AtomicOptions = {}): Promise<SaveTimings> {
  const fs = options.fs ?? nodeFs
  const folder = dirname(target)
  const name = basename(target)
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const timings: SaveTimings = { total: 0 }
  const started = performance.now()
  let tempExists = false

  const step = async <T>(which: SaveStep, run: () => Promise<T>): Promise<T> => {
    await options.beforeStep?.(which)
    const t0 = performance.now()
    try {
      return await run()
    } catch (e) {
      throw new FileError(
        `Could not save "${name}": ${WHAT[which]} failed (${reason(e)}). The file on disk is unchanged.`,
        which,
        (e as NodeJS.ErrnoException).code
      )
    } finally {
      timings[which] = performance.now() - t0
    }
  }

  try {
    const fh = await step('open-temp', () => fs.open(temp, 'wx'))
    tempExists = true
    try {
      await step('write', () => fh.writeFile(text, 'utf8'))
      await step('sync', () => fh.sync())
    } catch (e) {
      await fh.close().catch(() => undefined)
      throw e
    }
    await step('close', () => fh.close())
    if (options.backup) await step('backup', () => keepPrevious(fs, target))
    await step('rename', () => renameWithRetry(fs, temp, target, options.renameAttempts ?? 6, options.renameDelayMs ?? 20))
    tempExists = false
  } catch (e) {
    if (tempExists) await fs.unlink(temp).catch(() => undefined)
    throw e
  }
  // The new content is in place; flushing the folder makes the rename itself durable where the OS
  // allows it (Linux, macOS). Windows cannot open a folder this way, and failing here loses nothing.
  await options.beforeStep?.('sync-folder')
  const t0 = performance.now()
  await syncFolder(folder)
  timings['sync-folder'] = performance.now() - t0
  timings.total = performance.now() - started
  return timings
}

/** Copies the current target to `<target>.bak` through a temp file, so the .bak is never half written. */
async function keepPrevious(fs: AtomicFs, target: string): Promise<void> {
  const bak = `${target}.bak`
  const temp = join(dirname(bak), `.${basename(bak)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await fs.copyFile(target, temp, constants.COPYFILE_EXCL)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(target))) return // first save: nothing to keep
    await fs.unlink(temp).catch(() => undefined) // a copy that failed half way
    throw e
  }
  try {
    const fh = await fs.open(temp, 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    await renameWithRetry(fs, temp, bak, 3, 20)
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined)
    throw e
  }
}

async function renameWithRetry(fs: AtomicFs, from: string, to: string, attempts: number, delayMs: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fs.rename(from, to)
    } catch (e) {
      if (attempt >= attempts || !RETRY_CODES.has((e as NodeJS.ErrnoException).code ?? '')) throw e
      await sleep(delayMs * 2 ** (attempt - 1))
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return fsp.stat(path).then(
    () => true,
    () => false
  )
}

async function syncFolder(folder: string): Promise<void> {
  let fh: fsp.FileHandle | undefined
  try {
    fh = await fsp.open(folder, 'r')
    await fh.sync()
  } catch {
    // EISDIR/EPERM on Windows, EINVAL on some network file systems: nothing more can be done.
  } finally {
    await fh?.close().catch(() => undefined)
  }
}
