import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * An export is written to `<name>.<pid>-<time>.partial` beside its target (partial-file.ts). A
 * process that is killed midway (the app, the CLI, an export worker that would not stop) cannot
 * remove its own; the app's next export to that folder does.
 */
export function partialPathOf(path: string, pid = process.pid, time = Date.now()): string {
  return `${path}.${pid}-${time}.partial`
}

const PARTIAL = /^(.+)\.(\d+)-\d+\.partial$/

function running(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: only asks whether the process exists
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by someone else
  }
}

/**
 * Removes, in the folder of `target`, the partial exports of processes no longer running, and this
 * process's own partial exports to `target` (the app runs one export at a time: any such file was
 * left by an export that was cancelled or ended). Returns the names removed; never throws.
 */
export async function removeStalePartials(target: string): Promise<string[]> {
  const folder = dirname(target)
  const own = basename(target)
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return []
  }
  const stale = names.filter((name) => {
    const m = PARTIAL.exec(name)
    if (!m) return false
    const pid = Number(m[2])
    return pid === process.pid ? m[1] === own : !running(pid)
  })
  await Promise.all(stale.map((name) => rm(join(folder, name), { force: true }).catch(() => undefined)))
  return stale
}
