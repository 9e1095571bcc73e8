import type { Writable } from 'node:stream'
import { openAtomic } from '../files/atomic-write'

/**
 * An export is streamed into the atomic writer's temp file beside its target and put in place only
 * when complete (flushed, renamed with retry, folder flushed), so a cancelled or failed export never
 * leaves half a file, nor damages an earlier one; a temp file of a killed export is removed by the
 * next write to that folder.
 */
export interface PartialFile {
  stream: Writable
  /** Ends the stream if needed and puts the finished file in place. */
  commit(): Promise<void>
  /** Closes and removes the temp file. */
  discard(): Promise<void>
}

export async function openPartial(path: string): Promise<PartialFile> {
  const file = await openAtomic(path)
  return {
    stream: file.stream,
    commit: async () => void (await file.commit()),
    discard: () => file.abort(),
  }
}
