// `npm run test:desktop`: the thirteen desktop scenarios (tests/desktop) against the built app. Builds
// with electron-vite first unless out/ is newer than every source, then ends with one line:
// "desktop: N passed, N failed". DESKTOP_DRIVERS=electron runs only the real-Electron driver.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const SOURCES = ['src', 'electron.vite.config.ts', 'package.json']
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']

function newest(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((m, entry) => Math.max(m, newest(join(path, entry))), st.mtimeMs)
}

const built = OUTPUTS.every((o) => existsSync(resolve(root, o))) ? Math.min(...OUTPUTS.map((o) => statSync(resolve(root, o)).mtimeMs)) : 0
if (built <= Math.max(...SOURCES.map((s) => newest(resolve(root, s))))) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const results = resolve(root, 'out/desktop-results.json')
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'tests/desktop/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${results}`],
  { cwd: root, stdio: 'inherit' }
)
if (!existsSync(results)) process.exit(run.status ?? 1)
const r = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number }
console.log(`desktop: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)
process.exit(run.status ?? (r.numFailedTests > 0 ? 1 : 0))
