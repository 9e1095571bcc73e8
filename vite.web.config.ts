import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { compileHintPlugin } from './vite-plugins/compile-hint.ts'
import { cspMetaPlugin } from './vite-plugins/csp-meta.ts'

/**
 * The web edition: the same renderer as the desktop app, built as a static site in out/web.
 * Relative asset paths (base './') so it works from any folder of any static server.
 */
export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  // index.html's CSP meta tag from src/shared/csp.ts; the dev server's allows Vite's <style> elements.
  // The entry chunk is compiled as it loads (vite-plugins/compile-hint.ts).
  plugins: [vue(), cspMetaPlugin(), compileHintPlugin()],
  resolve: { alias: { '@shared': resolve('src/shared'), '@renderer': resolve('src/renderer/src') } },
  worker: { format: 'es' },
  build: { outDir: resolve('out/web'), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { host: '127.0.0.1', port: 5174 },
  preview: { host: '127.0.0.1', port: 4174 },
})
