import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * app.requestSingleInstanceLock across processes, like Chromium's process singleton: a lock file
 * in the userData folder names the first instance's pid; a second instance leaves its argv and
 * working directory for it (the first emits 'second-instance') and gets false.
 */
const lockFile = (userData: string): string => join(userData, 'SingletonLock')
const inbox = (userData: string): string => join(userData, 'SingletonMessages')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export function acquireSingleInstanceLock(
  userData: string,
  additionalData: unknown,
  onSecond: (argv: string[], cwd: string, data: unknown) => void
): boolean {
  mkdirSync(inbox(userData), { recursive: true })
  try {
    const owner = Number(readFileSync(lockFile(userData), 'utf8'))
    if (owner !== process.pid && alive(owner)) {
      const message = JSON.stringify({ argv: process.argv, cwd: process.cwd(), data: additionalData ?? null })
      // Renamed into place whole, so the first instance never reads half a message.
      writeFileSync(join(inbox(userData), `${process.pid}.tmp`), message)
      renameSync(join(inbox(userData), `${process.pid}.tmp`), join(inbox(userData), `${process.pid}.json`))
      return false
    }
  } catch {
    // No lock file: this is the first instance.
  }
  writeFileSync(lockFile(userData), String(process.pid))
  const drain = (): void => {
    for (const name of readdirSync(inbox(userData)).filter((n) => n.endsWith('.json'))) {
      const path = join(inbox(userData), name)
      try {
        const m = JSON.parse(readFileSync(path, 'utf8')) as { argv: string[]; cwd: string; data: unknown }
        rmSync(path)
        onSecond(m.argv, m.cwd, m.data)
      } catch {
        // Not complete yet: the next change event reads it.
      }
    }
  }
  watcher = watch(inbox(userData), drain)
  return true
}

let watcher: ReturnType<typeof watch> | null = null

export function releaseSingleInstanceLock(userData: string): void {
  watcher?.close()
  watcher = null
  try {
    if (Number(readFileSync(lockFile(userData), 'utf8')) === process.pid) rmSync(lockFile(userData))
  } catch {
    // Never held.
  }
}
