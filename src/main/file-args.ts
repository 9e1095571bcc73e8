import { isAbsolute, resolve } from 'node:path'

export const EXPERIMENT_EXTENSION = '.bplab'

/**
 * The experiment file named on a command line, if any: the first argument after the app's own
 * ones that ends in .bplab. Chromium switches (--foo) and the executable and entry script are
 * skipped; a relative path is resolved against the launching directory (for a second instance,
 * its working directory, not ours).
 */
export function experimentFileFromArgv(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue
    if (!arg.toLowerCase().endsWith(EXPERIMENT_EXTENSION)) continue
    return isAbsolute(arg) ? arg : resolve(cwd, arg)
  }
  return null
}

/**
 * Whether the renderer may ask to open `path` (a file dropped on the window): an absolute path,
 * on this OS, to a .bplab or .json file. What is inside is validated when it is read.
 */
export function isOpenablePath(path: string): boolean {
  return isAbsolute(path) && /\.(bplab|json)$/i.test(path)
}
