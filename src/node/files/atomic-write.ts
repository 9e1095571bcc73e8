import { randomBytes } from 'node:crypto'
import { constants, promises as fsp, type Stats } from 'node:fs'
import { finished } from 'node:stream/promises'
import { Writable } from 'node:stream'
import { basename, dirname } from 'node:path'
import { refuseReadOnly, removeStaleTemps, resolveTarget, tempName } from './atomic-target'
import { FileError, reason } from './file-error'

/**
 * The one way the app writes a file (documents, autosave, window state, recent files, exports, the
 * CLI's output). Whatever fails and whenever the process dies, the file holds its old or its new
 * content in full:
 * - a symlink is followed and its target replaced; a read-only file is refused before anything is written;
 * - temp file opened 'wx' beside the real file, with the file's mode (and owner, where permitted);
 * - write, flush, close, keep the previous version as `name.bak` (documents), rename over the file
 *   (retrying the brief EPERM/EACCES/EBUSY locks of Windows virus scanners and indexers), flush the folder;
 * - temp files left by a save that was killed are removed by the next save to that folder.
 *
 * Hard links: a rename gives the name a new inode, which would cut it off from the file's other
 * names. A file with more than one link is therefore written in place, after the complete new
 * content has been written and flushed to the temp file (so a full disk fails before the file is
 * touched). The trade-off: that in-place copy is not atomic; a crash in the middle of it leaves a
 * mixed file, which is why documents keep the previous version as `.bak` first.
 */
export type SaveStep = 'check' | 'open-temp' | 'write' | 'sync' | 'close' | 'backup' | 'rename' | 'write-in-place' | 'sync-folder'

export interface FileHandleLike {
  /** Writes at the handle's current position, all of it. */
  writeFile(data: string | Uint8Array): Promise<void>
  sync(): Promise<void>
  close(): Promise<void>
  chmod(mode: number): Promise<void>
  chown(uid: number, gid: number): Promise<void>
  truncate(length: number): Promise<void>
}

/** The file system calls a save makes; tests replace one of them to fail for real at that step. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<FileHandleLike>
  copyFile(from: string, to: string, mode: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
}

export const nodeFs: AtomicFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
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
  /**
   * A target that is a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) cannot be replaced:
   * the CLI writes straight into it; the app refuses it (the default).
   */
  devices?: 'write-through' | 'refuse'
}

/** Milliseconds spent in each step. */
export type SaveTimings = Partial<Record<SaveStep, number>> & { total: number }

/** A file being written: stream or write() into it, then commit() puts it in place or abort() drops it. */
export interface AtomicFile {
  /** For streaming writers (exceljs, CSV): every chunk goes to the temp file. */
  readonly stream: Writable
  /** Appends; call one at a time (await each), and not together with `stream`. */
  write(data: string | Uint8Array): Promise<void>
  commit(): Promise<SaveTimings>
  /** Closes and removes the temp file; the target is untouched. Safe to call more than once. */
  abort(): Promise<void>
}

const WHAT: Record<SaveStep, string> = {
  check: 'checking the file',
  'open-temp': 'creating a temporary file beside it',
  write: 'writing the temporary file',
  sync: 'flushing the temporary file to disk',
  close: 'closing the temporary file',
  backup: 'keeping the previous version as a .bak file',
  rename: 'replacing the file with the new version',
  'write-in-place': 'writing the new version into the file (it has other hard links, so it is not replaced)',
  'sync-folder': 'flushing the folder',
}

const RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY'])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function openAtomic(target: string, options: AtomicOptions = {}): Promise<AtomicFile> {
  const fs = options.fs ?? nodeFs
  const name = basename(target)
  const timings: SaveTimings = { total: 0 }
  const started = performance.now()

  const step = async <T>(which: SaveStep, run: () => Promise<T>): Promise<T> => {
    await options.beforeStep?.(which)
    const t0 = performance.now()
    try {
      return await run()
    } catch (e) {
      if (e instanceof FileError) throw e
      const after =
        which !== 'write-in-place'
          ? 'The file on disk is unchanged.'
          : options.backup
            ? `The file may be incomplete; its previous version is kept as "${name}.bak".`
            : 'The file may be incomplete.'
      const code = (e as NodeJS.ErrnoException).code
      const why = which === 'open-temp' && code === 'ENOENT' ? 'the folder does not exist' : reason(e)
      throw new FileError(`Could not save "${name}": ${WHAT[which]} failed (${why}). ${after}`, which, code)
    } finally {
      timings[which] = (timings[which] ?? 0) + performance.now() - t0
    }
  }

  const real = await step('check', () => resolveTarget(target))
  const device = real.stat !== null && !real.stat.isFile() && !real.stat.isDirectory() && options.devices === 'write-through'
  if (!device) await step('check', () => refuseReadOnly(real, name))
  const folder = dirname(real.path)
  if (!device) await removeStaleTemps(folder)
  const temp = device ? real.path : tempName(real.path, randomBytes(4).toString('hex'))
  const fh = await step('open-temp', () => fs.open(temp, device ? 'w' : 'wx', real.stat ? real.stat.mode & 0o7777 : 0o666))
  let closed = false
  let settled = false
  const drop = async (): Promise<void> => {
    settled = true
    if (!closed) await fh.close().catch(() => undefined)
    closed = true
    if (!device) await fs.unlink(temp).catch(() => undefined)
  }
  try {
    if (!device) await step('open-temp', () => keepOwnerAndMode(fh, real.stat))
  } catch (e) {
    await drop()
    throw e
  }

  let failure: unknown = null
  const write = async (data: string | Uint8Array): Promise<void> => {
    if (settled) throw new Error(`"${name}" was already committed or aborted`)
    if (failure) throw failure
    try {
      await step('write', () => fh.writeFile(data))
    } catch (e) {
      failure = e
      throw e
    }
  }
  let stream: Writable | null = null
  const streamOf = (): Writable =>
    (stream ??= new Writable({
      write: (chunk: Buffer, _encoding, done) => void write(chunk).then(() => done(), done),
      writev: (chunks, done) => void write(Buffer.concat(chunks.map((c) => c.chunk as Buffer))).then(() => done(), done),
    }))

  return {
    get stream() {
      return streamOf()
    },
    write,
    abort: async () => {
      stream?.destroy()
      if (stream) await finished(stream).catch(() => undefined)
      await drop()
    },
    async commit() {
      try {
        if (stream) {
          if (!stream.writableEnded) stream.end()
          await finished(stream)
        }
        if (failure) throw failure
        if (device) {
          settled = closed = true
          await step('close', () => fh.close())
          timings.total = performance.now() - started
          return timings
        }
        await step('sync', () => fh.sync())
        closed = true
        await step('close', () => fh.close())
        if (options.backup) await step('backup', () => keepPrevious(fs, real.path))
        if (real.stat && real.stat.nlink > 1) {
          await step('write-in-place', () => copyInPlace(fs, temp, real.path))
          await fs.unlink(temp).catch(() => undefined)
        } else await step('rename', () => renameWithRetry(fs, temp, real.path, options.renameAttempts ?? 6, options.renameDelayMs ?? 20))
        settled = true
      } catch (e) {
        stream?.destroy()
        await drop()
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
    },
  }
}

/** Writes a whole text or byte array atomically (see openAtomic). */
export async function atomicWrite(target: string, data: string | Uint8Array, options: AtomicOptions = {}): Promise<SaveTimings> {
  const file = await openAtomic(target, options)
  try {
    await file.write(data)
  } catch (e) {
    await file.abort()
    throw e
  }
  return file.commit()
}

/**
 * The temp file takes the replaced file's owner and mode. chown first: it may clear set-id bits,
 * which the chmod then restores. Changing the owner needs privileges the user may not have; then
 * the file becomes the user's, as it would with any editor.
 */
async function keepOwnerAndMode(fh: FileHandleLike, stat: Stats | null): Promise<void> {
  if (!stat) return
  if (process.platform !== 'win32') await fh.chown(stat.uid, stat.gid).catch(() => undefined)
  await fh.chmod(stat.mode & 0o7777)
}

/** Copies the current target to `<target>.bak` through a temp file, so the .bak is never half written. */
async function keepPrevious(fs: AtomicFs, target: string): Promise<void> {
  const bak = `${target}.bak`
  const temp = tempName(bak, randomBytes(4).toString('hex'))
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

/** The hard-link case: the complete, flushed temp file is copied into the file itself. */
async function copyInPlace(fs: AtomicFs, from: string, to: string): Promise<void> {
  const source = await fsp.open(from, 'r')
  try {
    const target = await fs.open(to, 'r+')
    try {
      const buffer = Buffer.allocUnsafe(1 << 20)
      let total = 0
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, total)
        if (bytesRead === 0) break
        await target.writeFile(buffer.subarray(0, bytesRead))
        total += bytesRead
      }
      await target.truncate(total)
      await target.sync()
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
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

