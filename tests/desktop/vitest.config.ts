import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

/** `npm run test:desktop` only: the main suite (vitest.config.ts) leaves tests/desktop out. */
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  resolve: { alias: { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') } },
  test: {
    include: ['tests/desktop/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // The scenarios share one machine's two cores with Chromium and the app's workers: one at a time.
    fileParallelism: false,
  },
})
