import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../src/main/training/runner'
import { createExportRunner } from '../../src/node/export/runner'
import { train } from '../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import type { TrainingEvent } from '../../src/shared/training/protocol'
import { COMPILE_HINT } from '../../vite-plugins/compile-hint'
import { contentSecurityPolicy, metaPolicy } from '../../src/shared/csp'

/** The real `electron-vite build`, into a temporary folder (not out/, which others may be using). */
const root = resolve(__dirname, '../..')
let out: string
let mainJs: string

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'electron-vite-build-'))
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'pipe',
    timeout: 170_000,
  })
  mainJs = readFileSync(join(out, 'main/index.js'), 'utf8')
})
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true })
})

/** Relative paths the main bundle joins to its own folder: join(__dirname, "…") or join(import.meta.dirname, "…"). */
function pathsMainRefersTo(code: string): string[] {
  const pattern = /\bjoin(?:\$\d+)?\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*"([^"]+)"\s*\)/g
  return [...code.matchAll(pattern)].map((m) => m[1])
}

/** The built worker (`?modulePath`) whose source says it is the `kind` worker: 'training' or 'export'. */
function builtWorker(kind: 'training' | 'export'): string {
  const workers = pathsMainRefersTo(mainJs).filter((p) => /worker.*\.js$/.test(p))
  const found = workers.find((p) => readFileSync(join(out, 'main', p), 'utf8').includes(`the ${kind} worker must run in a worker thread`))
  if (!found) throw new Error(`no ${kind} worker among ${workers.join(', ')}`)
  return join(out, 'main', found)
}

function importsOf(code: string): string[] {
  const specifiers = [...code.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?"([^"]+)"/gm), ...code.matchAll(/\brequire\("([^"]+)"\)/g)].map(
    (m) => m[1]
  )
  return [...new Set(specifiers)]
}

describe('electron-vite build output', () => {
  it('main, a CommonJS preload, the training worker and the renderer exist', () => {
    expect(existsSync(join(out, 'main/index.js'))).toBe(true)
    expect(existsSync(join(out, 'preload/index.cjs'))).toBe(true)
    expect(existsSync(join(out, 'renderer/index.html'))).toBe(true)
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8')
    expect(preload).toMatch(/require\("electron"\)/)
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    // A sandboxed preload can require only Electron's own renderer modules.
    expect(importsOf(preload)).toEqual(['electron'])
    expect(preload).toContain('exposeInMainWorld')
  })

  it('every path main refers to exists in the output', () => {
    const paths = pathsMainRefersTo(mainJs)
    expect(paths).toEqual(expect.arrayContaining(['../preload/index.cjs', '../renderer']))
    expect(paths.filter((p) => /worker.*\.js$/.test(p)), 'the ?modulePath workers: training and export').toHaveLength(2)
    for (const p of paths) expect(existsSync(join(out, 'main', p)), p).toBe(true)
    // And the renderer's page refers only to files that exist, all local.
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8')
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThan(0)
    for (const a of assets) {
      expect(a).not.toMatch(/^(https?:)?\/\//)
      expect(existsSync(join(out, 'renderer', a)), a).toBe(true)
    }
  })

  it("the renderer's page carries the app's one CSP, and its code adds no inline style the CSP would refuse", () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8')
    expect(metaPolicy(html)).toBe(contentSecurityPolicy({ dev: false, meta: true }))
    expect(html).not.toContain('unsafe-inline')
    expect(html).not.toMatch(/<style|\sstyle=/)
    // Vue's :style and Chart.js go through element.style (CSSOM), which a CSP allows; a <style>
    // element or a style attribute (markup, innerHTML, setAttribute) would be refused.
    const assets = readdirSync(join(out, 'renderer/assets')).filter((f) => f.endsWith('.js'))
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) {
      const code = readFileSync(join(out, 'renderer/assets', asset), 'utf8')
      expect(code, asset).not.toMatch(/<style|style=\\?["']|createElement\(\s*["']style["']|setAttribute\(\s*["']style["']|insertRule\(/)
    }
  })

  it("the renderer's entry script, and only it, is compiled as it loads (V8's compile hint on its first line)", () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8')
    const entry = /<script type="module"[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1]
    expect(entry).toBeDefined()
    const assets = readdirSync(join(out, 'renderer/assets')).filter((f) => f.endsWith('.js'))
    expect(assets.length).toBeGreaterThan(1)
    for (const asset of assets) {
      const firstLine = readFileSync(join(out, 'renderer/assets', asset), 'utf8').split('\n', 1)[0]
      expect(firstLine === COMPILE_HINT, asset).toBe(asset === entry)
    }
  })

  it('main and the worker import only Node built-ins, electron and runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    const allowed = new Set([
      ...builtinModules,
      ...builtinModules.map((m) => `node:${m}`),
      'electron',
      ...Object.keys(pkg.dependencies ?? {}),
    ])
    const chunks = readdirSync(join(out, 'main'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
    for (const chunk of chunks) {
      const code = readFileSync(join(out, 'main', chunk), 'utf8')
      // A bare import's package: `exceljs` of `exceljs/x`, `@noble/hashes` of `@noble/hashes/sha2.js`.
      const packageOf = (s: string): string => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/')
      const bad = importsOf(code).filter((s) => !s.startsWith('.') && !allowed.has(s) && !allowed.has(packageOf(s)))
      expect(bad, chunk).toEqual([])
    }
    // The training worker needs only Node; the export worker also exceljs (a runtime dependency).
    const worker = readFileSync(builtWorker('training'), 'utf8')
    expect(importsOf(worker).every((s) => s.startsWith('node:') || s.startsWith('.'))).toBe(true)
    for (const code of [worker, readFileSync(builtWorker('export'), 'utf8')]) expect(code).not.toMatch(/from "electron"/)
  })

  it('the main process has no way to reach the network: no update check, fetches only its own files', () => {
    const code = readdirSync(join(out, 'main'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(out, 'main', f), 'utf8'))
      .join('\n')
    expect(code).not.toMatch(/autoUpdater|electron-updater|update-electron-app/)
    expect(code).not.toMatch(/from "(node:)?(https?|net|dgram|tls|http2)"/)
    expect(code).not.toMatch(/\b(fetch|request|get|loadURL)\(\s*["'`]https?:/)
    const fetches = [...code.matchAll(/\b(?:net\.)?fetch\(([^)]*)/g)].map((m) => m[1])
    expect(fetches).toEqual(['pathToFileURL(file'])
  })

  it('the built worker trains the sheet in a real worker thread, equal to the engine', async () => {
    const worker = builtWorker('training')
    const pool = createTrainingRunner(worker, 2)
    try {
      const configs = runConfigs({ ...defaultExperiment(), training: { ...defaultExperiment().training, learningRates: [0.5, 2] } })
      const events: TrainingEvent[] = []
      await new Promise<void>((done) => {
        let ended = 0
        pool.onEvent((e) => {
          events.push(e)
          if (e.type === 'done' && ++ended === 2) done()
        })
        pool.start(1, configs, { record: true })
      })
      configs.forEach((config, run) => {
        const losses = events.flatMap((e) => (e.type === 'batch' && e.run === run ? [...e.losses] : []))
        expect(losses).toEqual(Array.from(train(config).losses))
      })
    } finally {
      pool.dispose()
    }
    expect(dirname(worker)).toContain(out)
  })

  it('the built export worker writes a workbook in a real worker thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'built-export-'))
    // exceljs is a runtime dependency, found from the app's folder: the build is in a temporary one.
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'junction')
    try {
      const path = join(dir, 'sheet.xlsx')
      await createExportRunner(builtWorker('export'))({ kind: 'xlsx', documentText: JSON.stringify(defaultExperiment()), path })
      expect(readdirSync(dir)).toEqual(['sheet.xlsx'])
      expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK') // a zip archive
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
