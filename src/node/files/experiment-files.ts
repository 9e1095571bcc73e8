import { constants, promises as fsp } from 'node:fs'
import { basename } from 'node:path'
import { parseDocumentText } from '../../shared/document'
import type { FileStamp } from '../../shared/ipc'
import { LIMITS, megabytes as mb } from '../../shared/limits'
import { atomicWrite, type AtomicOptions, type SaveTimings } from './atomic-write'
import { stampOf } from './file-stamp'
import { FileError, reason } from './file-error'

/** The largest file opened: checked on the file's size before a byte is read. */
export const MAX_FILE_BYTES = LIMITS.maxFileBytes

/**
 * Reads and validates an experiment file (any format version). Throws FileError with a sentence for
 * the user; on success the text is known to parse, so the renderer's own parse will succeed too.
 */
export async function readExperimentFile(path: string): Promise<{ name: string; path: string; text: string; stamp: FileStamp }> {
  const { name, text, stamp } = await readExperimentText(path)
  const parsed = parseDocumentText(text)
  if (!parsed.ok) throw new FileError(`Could not open "${name}": ${parsed.error}.`, 'validate')
  return { name, path, text, stamp }
}

/** The checks and the read of readExperimentFile, without the validation (for a caller that parses the text itself). */
export async function readExperimentText(path: string): Promise<{ name: string; text: string; stamp: FileStamp }> {
  const name = basename(path)
  const notAFile = (): FileError => new FileError(`Could not open "${name}": it is not a regular file.`, 'open')
  let fh: fsp.FileHandle
  try {
    // Regular files only, checked before opening: opening a FIFO (or a device) named x.json for
    // reading would wait for a writer forever, or read without end.
    if (!(await fsp.stat(path)).isFile()) throw notAFile()
    // Non-blocking, in case the path was swapped for a FIFO since: then the check below refuses it.
    fh = await fsp.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (e) {
    if (e instanceof FileError) throw e
    throw new FileError(`Could not open "${name}": ${reason(e)}.`, 'open', (e as NodeJS.ErrnoException).code)
  }
  let text: string
  let stamp: FileStamp
  try {
    const stat = await fh.stat()
    if (!stat.isFile()) throw notAFile()
    if (stat.size > MAX_FILE_BYTES)
      throw new FileError(
        `Could not open "${name}": it is ${stat.size.toLocaleString('en-US')} bytes (${mb(stat.size)} MB); files up to ${mb(MAX_FILE_BYTES)} MB can be opened.`,
        'size'
      )
    // Read at most one byte past the limit, in case the file grows between stat and read.
    const buffer = Buffer.alloc(Math.min(stat.size + 1, MAX_FILE_BYTES + 1))
    let filled = 0
    for (;;) {
      const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0 || (filled += bytesRead) === buffer.length) break
    }
    if (filled > MAX_FILE_BYTES)
      throw new FileError(`Could not open "${name}": it grew past ${mb(MAX_FILE_BYTES)} MB while being read.`, 'size')
    text = buffer.toString('utf8', 0, filled)
    stamp = stampOf(buffer.subarray(0, filled), stat)
  } catch (e) {
    if (e instanceof FileError) throw e
    throw new FileError(`Could not read "${name}": ${reason(e)}.`, 'read', (e as NodeJS.ErrnoException).code)
  } finally {
    await fh.close().catch(() => undefined)
  }
  return { name, text, stamp }
}

/**
 * Validates and saves a document atomically, keeping the previous version as `<path>.bak`.
 * Any failure leaves the file on disk as it was and throws FileError naming the failed step.
 * Gives the stamp of what it wrote, for the next save's check for other programs' edits.
 */
export async function saveExperimentFile(
  path: string,
  text: string,
  options: AtomicOptions = {}
): Promise<{ timings: SaveTimings; stamp: FileStamp }> {
  const parsed = parseDocumentText(text)
  if (!parsed.ok)
    throw new FileError(`Not saved: the experiment is not valid (${parsed.error}). The file on disk is unchanged.`, 'validate')
  const bytes = Buffer.from(text, 'utf8')
  const timings = await atomicWrite(path, bytes, { backup: true, ...options })
  return { timings, stamp: stampOf(bytes, await fsp.stat(path)) }
}
