import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import { atomicWrite } from './atomic-write'
import { MAX_FILE_BYTES } from './experiment-files'

/**
 * The working experiment, written every 30 seconds to the app's data folder, so that after a crash
 * the next launch can offer it back. The shell calls clear() on a clean quit (the close prompt has
 * then saved or discarded every change), so a file left here means the last session did not end well.
 */
export class Autosave {
  readonly file: string

  constructor(private readonly dir: string) {
    this.file = join(dir, 'recovery.json')
  }

  /** Replaces the recovery file atomically; empty text means "nothing to recover" and clears it. */
  async write(text: string): Promise<void> {
    if (text === '') return this.clear()
    if (text.length > MAX_FILE_BYTES) return
    await fsp.mkdir(this.dir, { recursive: true })
    await atomicWrite(this.file, text)
  }

  /** What the last session left, or null. It stays until cleared or overwritten, so a second crash loses nothing. */
  async take(): Promise<string | null> {
    try {
      const text = await fsp.readFile(this.file, 'utf8')
      return text === '' ? null : text
    } catch {
      return null
    }
  }

  async clear(): Promise<void> {
    await fsp.rm(this.file, { force: true })
  }
}
