import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') } },
  test: {
    include: ['tests/**/*.test.ts'],
    // The desktop scenarios run once, by `npm run test:desktop` (tests/desktop/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'tests/desktop/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Vitest's default (cores − 1) runs the files one at a time on a 2-core machine; most of them
    // wait on worker threads, Chromium or LibreOffice part of the time, so two at once finish the
    // suite about a quarter sooner there (measured on the 2-core build machine under load).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
