import { randomBytes } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import { atomicWrite } from '../../node/files/atomic-write'
import { RECOVERY_ID, type RecoveryCopy } from '../../shared/ipc'
import { MAX_FILE_BYTES } from '../../node/files/experiment-files'

/** `recovery.json` (written by earlier versions) or `recovery-<id>.json`. */
const COPY = /^recovery(-[0-9a-z-]{1,40})?\.json$/

/**
 * The working experiment, written every few seconds to the app's data folder, so that after a crash
 * the work can be offered back. Each window session writes its own copy, so that discarding an old
 * session's copy never touches the work of the session running now:
 * - write() and clear() touch only the current session's copy, one at a time, in order: a write
 *   never lands after a clear that was asked for later;
 * - keepForRecovery() (the window crashed or hung) turns the current copy into an old one and
 *   starts a new one, so the reloaded window finds it, and a later clean quit does not remove it;
 * - take() gives the newest old copy; discard(id) removes only that one.
 */
export class Autosave {
  private current: string
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly dir: string,
    private readonly newId: () => string = () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
  ) {
    this.current = `recovery-${this.newId()}`
  }

  /** The current session's copy. */
  get file(): string {
    return join(this.dir, `${this.current}.json`)
  }

  /** Replaces this session's copy atomically; empty text means "nothing to recover" and clears it. */
  write(text: string): Promise<void> {
    if (text === '') return this.clear()
    if (text.length > MAX_FILE_BYTES) return Promise.resolve()
    return this.serial(async () => {
      await fsp.mkdir(this.dir, { recursive: true })
      await atomicWrite(this.file, text)
    })
  }

  /** Removes this session's copy (a clean quit, or the work was saved). Old sessions' copies stay. */
  clear(): Promise<void> {
    return this.serial(() => fsp.rm(this.file, { force: true }))
  }

  /** The window is gone with its work: keep its copy for the next window to offer, write a new one from now on. */
  keepForRecovery(): Promise<void> {
    return this.serial(async () => {
      this.current = `recovery-${this.newId()}`
    })
  }

  /** The newest copy another session left, or null. It stays until discarded, so a second crash loses nothing. */
  take(): Promise<RecoveryCopy | null> {
    return this.serial(async () => {
      const names = await fsp.readdir(this.dir).catch(() => [] as string[])
      const copies = await Promise.all(
        names
          .filter((name) => COPY.test(name) && name !== `${this.current}.json`)
          .map(async (name) => ({ name, mtime: (await fsp.stat(join(this.dir, name)).catch(() => null))?.mtimeMs ?? -1 }))
      )
      copies.sort((a, b) => b.mtime - a.mtime)
      for (const { name } of copies) {
        const text = await fsp.readFile(join(this.dir, name), 'utf8').catch(() => '')
        if (text !== '') return { id: name.slice(0, -'.json'.length), text }
      }
      return null
    })
  }

  /** Removes an old session's copy; the current session's copy is never removed this way. */
  discard(id: string): Promise<void> {
    if (!RECOVERY_ID.test(id) || id === this.current) return Promise.resolve()
    return this.serial(() => fsp.rm(join(this.dir, `${id}.json`), { force: true }))
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op)
    this.queue = result.catch(() => undefined)
    return result
  }
}
