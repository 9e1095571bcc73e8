import type { FileStamp } from './ipc'

/**
 * Whether a file's content differs from what the app last read or wrote of it (`base`): the test
 * Save makes before writing. A new modification time with the same bytes (a `touch`, a sync tool)
 * is no change; a file that is gone is none either: saving creates it again and overwrites nobody.
 */
export function changedSince(base: FileStamp | null, now: FileStamp | null): boolean {
  if (now === null) return false
  if (base === null) return true // the app never saw this content: it cannot know it is safe to replace
  return now.size !== base.size || now.sha256 !== base.sha256
}
