import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { compileHintPlugin } from './vite-plugins/compile-hint'
import { cspMetaPlugin } from './vite-plugins/csp-meta'

const alias = { '@shared': resolve('src/shared'), '@renderer': resolve('src/renderer/src') }

export default defineConfig({
  main: {
    resolve: { alias },
  },
  preload: {
    resolve: { alias },
    // A sandboxed preload cannot be an ES module: one CommonJS bundle (out/preload/index.cjs).
    build: { rollupOptions: { output: { format: 'cjs' } } },
  },
  renderer: {
    resolve: { alias },
    // index.html's CSP meta tag: the same policy main sends as a header (src/shared/csp.ts);
    // the entry chunk compiled as it loads (vite-plugins/compile-hint.ts).
    plugins: [vue(), cspMetaPlugin(), compileHintPlugin()],
  },
})
