import { constants, promises as fsp, type Stats } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { FileError } from './file-error'

/**
 * What a save must know about the file it replaces before it writes a byte: where the file really
 * is (a symlink is followed to its target), its mode, owner and link count, and whether the user
 * may change it at all. Also the one naming rule for the app's temp files, and their cleanup.
 */
export interface SaveTarget {
  /** The path actually replaced: the target of a symlink, or the path itself. */
  path: string
  /** The existing file, or null for a first save. */
  stat: Stats | null
}

const MAX_LINK_DEPTH = 40

/** Follows symlinks (also a dangling one, whose target is then created) to the file to replace. */
export async function resolveTarget(target: string): Promise<SaveTarget> {
  let path = resolve(target)
  for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
    let link: Stats
    try {
      link = await fsp.lstat(path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path, stat: null }
      throw e
    }
    if (!link.isSymbolicLink()) return { path, stat: link }
    path = resolve(dirname(path), await fsp.readlink(path))
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' })
}

/**
 * Refuses a file the user cannot or should not change, before anything is written. Root may write
 * any file, so the mode's write bits are checked as well as access(): a 0444 file is read-only for
 * root too, as every editor treats it.
 */
export async function refuseReadOnly(target: SaveTarget, shownName: string): Promise<void> {
  if (!target.stat) return
  if (!target.stat.isFile())
    throw new FileError(`Could not save "${shownName}": it is not a regular file. Nothing was written.`, 'check', 'EISDIR')
  const writable = (target.stat.mode & 0o222) !== 0 && (await fsp.access(target.path, constants.W_OK).then(() => true, () => false))
  if (!writable)
    throw new FileError(
      `Could not save "${shownName}": the file is read-only. Nothing was written; use Save As to save a copy, or make the file writable first.`,
      'check',
      'EACCES'
    )
}

/** `.<name>.<pid>.<8 hex>.tmp` in the target's folder: hidden, and tied to the process that wrote it. */
export const tempName = (path: string, random: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`)

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/
/** The export temp files of earlier versions: `<name>.<pid>-<time>.partial`. */
const OLD_PARTIAL = /^.+\.(\d+)-\d+\.partial$/

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' // it exists, owned by someone else
  }
}

/**
 * Removes temp files the app left in a folder when a save was killed midway. Only names the app
 * makes, and only those of processes that are gone: a save running in another process (the CLI, a
 * second window) keeps its temp file. Best effort: a folder that cannot be listed is left alone.
 */
export async function removeStaleTemps(folder: string): Promise<string[]> {
  let names: string[]
  try {
    names = await fsp.readdir(folder)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const pid = Number((TEMP.exec(name) ?? OLD_PARTIAL.exec(name))?.[1] ?? NaN)
    if (!Number.isSafeInteger(pid) || pid === process.pid || alive(pid)) continue
    const path = join(folder, name)
    const stat = await fsp.lstat(path).catch(() => null)
    if (!stat?.isFile()) continue
    await fsp.unlink(path).then(
      () => removed.push(path),
      () => undefined
    )
  }
  return removed
}

/**
 * Removes this process's own temp files for `target`: those of a writer that could not remove its
 * own (an export worker thread that was terminated; it shares this process's pid, so
 * removeStaleTemps keeps them). Only one writer at a time may be writing `target` when this runs.
 */
export async function removeOwnTemps(target: string): Promise<string[]> {
  const real = (await resolveTarget(target).catch(() => null))?.path ?? target
  const folder = dirname(real)
  const prefix = `.${basename(real)}.${process.pid}.`
  const names = await fsp.readdir(folder).catch(() => [] as string[])
  const own = names.filter((name) => name.startsWith(prefix) && TEMP.test(name)).map((name) => join(folder, name))
  await Promise.all(own.map((path) => fsp.unlink(path).catch(() => undefined)))
  return own
}
