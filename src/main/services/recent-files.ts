import { promises as fsp } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { atomicWrite } from '../../node/files/atomic-write'

export interface RecentFile {
  path: string
  name: string
  /** False when the file has vanished since it was opened; the menu marks it. */
  exists: boolean
}

export const MAX_RECENT = 10

/**
 * The Open Recent list, kept across launches in one small JSON file. A missing or corrupt store
 * is an empty list (and is overwritten by the next add), never an error at start.
 */
export class RecentFiles {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly storePath: string) {}

  async list(): Promise<RecentFile[]> {
    const paths = await this.read()
    return Promise.all(
      paths.map(async (path) => ({
        path,
        name: basename(path),
        exists: await fsp.stat(path).then(
          (s) => s.isFile(),
          () => false
        ),
      }))
    )
  }

  /** Moves (or puts) `path` to the top. */
  add(path: string): Promise<void> {
    const full = resolve(path)
    return this.update((paths) => [full, ...paths.filter((p) => !samePath(p, full))])
  }

  remove(path: string): Promise<void> {
    const full = resolve(path)
    return this.update((paths) => paths.filter((p) => !samePath(p, full)))
  }

  clear(): Promise<void> {
    return this.update(() => [])
  }

  /** Changes run one at a time, so two quick opens cannot lose each other's entry. */
  private update(change: (paths: string[]) => string[]): Promise<void> {
    const next = this.queue.then(async () => {
      const paths = change(await this.read()).slice(0, MAX_RECENT)
      await fsp.mkdir(dirname(this.storePath), { recursive: true })
      await atomicWrite(this.storePath, JSON.stringify({ version: 1, files: paths }, null, 2) + '\n')
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  private async read(): Promise<string[]> {
    try {
      const data = JSON.parse(await fsp.readFile(this.storePath, 'utf8')) as { files?: unknown }
      if (!Array.isArray(data?.files)) return []
      return data.files.filter((p): p is string => typeof p === 'string' && p.length > 0).slice(0, MAX_RECENT)
    } catch {
      return []
    }
  }
}

/** Windows and macOS (by default) ignore case in paths; Linux does not. */
function samePath(a: string, b: string): boolean {
  return process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase()
}
