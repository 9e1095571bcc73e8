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
  },
})
