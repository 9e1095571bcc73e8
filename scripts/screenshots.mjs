// Refreshes the README's pictures in docs/screenshots/: runs the end-to-end tests with their
// screenshots sent there instead of out/screenshots/ (where a plain test run leaves them, so that
// running the tests never changes tracked files). Review the new pictures before committing them.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url))
const result = spawnSync(process.execPath, [vitest, 'run', 'tests/e2e'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, E2E_SCREENSHOT_DIR: 'docs/screenshots' },
})
process.exit(result.status ?? 1)
