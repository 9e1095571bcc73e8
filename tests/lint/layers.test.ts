import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * The layering rules of eslint.config.mjs, run through ESLint's own API on small sources planted
 * at paths inside each layer (nothing is written: lintText takes the path the source pretends to
 * have). Each rule must fire on a breach and stay quiet on the allowed import beside it.
 */
const root = resolve(__dirname, '../..')
const eslint = new ESLint({ cwd: root })

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) })
  return result.messages.filter((m) => m.ruleId === 'layers/imports' || m.ruleId === 'no-restricted-globals').map((m) => `${m.ruleId}: ${m.message}`)
}

describe('lint enforces the layers of src/', () => {
  it('src/shared imports no node:*, Node builtin, electron, vue, pinia or other layer', async () => {
    const file = 'src/shared/engine/planted.ts'
    for (const line of [
      "import { readFileSync } from 'node:fs'",
      "import { join } from 'path'",
      "import { app } from 'electron'",
      "import { ref } from 'vue'",
      "import { defineStore } from 'pinia'",
      "import { useHost } from '../../renderer/src/host'",
      "import { emit } from '../../main/ipc/handle'",
      "export { createApi } from '../../preload/api'",
      "export * from '../../cli/args'",
      "const m = import('node:worker_threads')",
    ]) {
      const found = await problems(file, `${line}\nvoid 0\n`)
      expect(found, line).toHaveLength(1)
      expect(found[0], line).toMatch(/^layers\/imports: src\/shared\/engine\/planted\.ts must not import .*src\/shared runs in Node and in the page alike\.$/)
    }
    expect(await problems(file, "import { sigmoid } from '../math/activations'\nimport * as v from 'valibot'\nvoid [sigmoid, v]\n")).toEqual([])
  })

  it('src/shared uses no DOM API', async () => {
    const found = await problems('src/shared/planted.ts', "document.title = 'x'\nexport const w = window.innerWidth\nlocalStorage.clear()\n")
    expect(found).toEqual(['document', 'window', 'localStorage'].map((name) => `no-restricted-globals: Unexpected use of '${name}'. src/shared runs in Node as well as in the page: no DOM API.`))
    expect(await problems('src/shared/planted.ts', 'export const t = performance.now() + new TextEncoder().encode("a").length\n')).toEqual([])
  })

  it('the renderer never imports src/main, by a relative path, an alias or a dynamic import; its own main.ts is fine', async () => {
    expect(await problems('src/renderer/src/components/planted.ts', "import { start } from '../../../main/index'\nvoid start\n")).toHaveLength(1)
    expect(await problems('src/renderer/src/chart/planted.ts', "export const w = import('../../../main/window')\n")).toHaveLength(1)
    expect(await problems('src/renderer/src/components/Planted.vue', "<script setup lang=\"ts\">\nimport { emit } from '../../../main/ipc/handle'\nvoid emit\n</script>\n")).toHaveLength(1)
    expect(await problems('src/renderer/src/components/planted.ts', "import '../main'\nimport { formatNumber } from '../format'\nimport { sigmoid } from '@shared/math/activations'\nvoid [formatNumber, sigmoid]\n")).toEqual([])
  })

  it('src/main never imports the renderer', async () => {
    expect(await problems('src/main/planted.ts', "import { useViewStore } from '../renderer/src/stores/view'\nvoid useViewStore\n")).toHaveLength(1)
    expect(await problems('src/main/ipc/planted.ts', "import { formatNumber } from '@renderer/format'\nvoid formatNumber\n")).toHaveLength(1)
    expect(await problems('src/main/planted.ts', "import { app } from 'electron'\nimport { join } from 'node:path'\nimport { THEMES } from '../shared/theme'\nvoid [app, join, THEMES]\n")).toEqual([])
  })
})
