import { createWriteStream, type WriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { partialPathOf } from './stale-partials'

/**
 * An export is written to `<path>.<pid>-<time>.partial` beside its target and renamed over it only
 * when complete, so a cancelled or failed export never leaves half a file, nor damages an earlier one.
 */
export interface PartialFile {
  stream: WriteStream
  /** Renames the finished file to its name. */
  commit(): Promise<void>
  /** Closes and removes the partial file. */
  discard(): Promise<void>
}

export async function openPartial(path: string): Promise<PartialFile> {
  const temp = partialPathOf(path)
  const stream = createWriteStream(temp, { flags: 'wx' })
  try {
    await once(stream, 'open')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new Error(`Cannot write ${path}: ${code === 'ENOENT' ? 'the folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`)
  }
  return {
    stream,
    commit: () => rename(temp, path),
    discard: async () => {
      stream.on('error', () => {})
      stream.destroy()
      await rm(temp, { force: true })
    },
  }
}
