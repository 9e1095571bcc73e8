// Entry of the child process that plays Electron's main process (started by ../stand-in-driver.ts):
// TypeScript for the stand-in, then the hooks that make `electron` resolve to it, then child.ts.
// Kept to the main thread: the app's worker threads start as plain Node, as under Electron.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

registerTsx()
register('./hooks.mjs', import.meta.url)
const { runChild } = await import('./child.ts')
await runChild()
