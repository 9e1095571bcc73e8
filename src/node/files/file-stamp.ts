import { createHash } from 'node:crypto'
import { createReadStream, promises as fsp, type Stats } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { FileStamp } from '../../shared/ipc'
export { changedSince } from '../../shared/file-stamp'
import { MAX_FILE_BYTES } from './experiment-files'

/**
 * What the app knows of a file it read or wrote: size, modification time and SHA-256 of the bytes.
 * Save compares it with the file on disk to notice another program's edit; a recovery copy keeps it
 * to tell whether its file changed after the work was autosaved.
 */
export const stampOf = (bytes: Uint8Array, stat: Stats): FileStamp => ({
  size: bytes.byteLength,
  mtimeMs: stat.mtimeMs,
  sha256: createHash('sha256').update(bytes).digest('hex'),
})

/** The stamp of the file now, or null when there is no regular file (or one too big to be a document). */
export async function currentStamp(path: string): Promise<FileStamp | null> {
  const stat = await fsp.stat(path).catch(() => null)
  // Checked before opening: a FIFO or device would block the read.
  if (!stat?.isFile()) return null
  if (stat.size > MAX_FILE_BYTES) return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: '' }
  // Hashed as it streams: a 128 MB document is not held in memory twice (about 0.4 s here).
  const hash = createHash('sha256')
  try {
    await pipeline(createReadStream(path), hash)
  } catch {
    return null
  }
  return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: hash.digest('hex') }
}
