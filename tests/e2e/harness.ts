import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/**
 * End-to-end harness: the built web edition (out/web), served on 127.0.0.1 by a tiny static
 * server, in Debian's Chromium driven by playwright-core. Every request is routed: anything not
 * to 127.0.0.1/localhost, data: or blob: is aborted and fails the test at `close()`.
 */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** E2E_WEB_DIR serves another build (the benchmark's variants); it is then not rebuilt. */
export const webDir = process.env.E2E_WEB_DIR ? resolve(process.env.E2E_WEB_DIR) : resolve(root, 'out/web')
/**
 * Screenshots go to out/screenshots (ignored by git), so a test run leaves the tree clean;
 * `npm run screenshots` sets E2E_SCREENSHOT_DIR=docs/screenshots to refresh the README's pictures.
 */
export const screenshotDir = resolve(root, process.env.E2E_SCREENSHOT_DIR ?? 'out/screenshots')
const stampFile = join(webDir, '.build-stamp')
const lockDir = resolve(root, 'out/.web-build.lock')

const SOURCES = ['src/renderer', 'src/shared', 'vite.web.config.ts', 'electron.vite.config.ts', 'package.json']

function newestSource(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)))
  return newest
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/**
 * Builds the web edition unless out/web is newer than every source. Several test files may call
 * this at once; a lock directory makes one build and the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if ((process.env.E2E_SKIP_BUILD === '1' || process.env.E2E_WEB_DIR) && existsSync(join(webDir, 'index.html'))) return
  mkdirSync(resolve(root, 'out'), { recursive: true })
  const deadline = Date.now() + 300_000
  for (;;) {
    try {
      mkdirSync(lockDir)
      break
    } catch {
      // A lock older than five minutes belongs to a build that died.
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 300_000) rmSync(lockDir, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build')
      await sleep(250)
    }
  }
  try {
    const newest = Math.max(...SOURCES.map((s) => newestSource(resolve(root, s))))
    const built = existsSync(stampFile) ? Number(readFileSync(stampFile, 'utf8')) : 0
    if (built > newest) return
    const startedAt = Date.now()
    const result = spawnSync(
      process.execPath,
      [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'],
      {
        cwd: root,
        encoding: 'utf8',
      }
    )
    if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`)
    writeFileSync(stampFile, String(startedAt))
  } finally {
    rmSync(lockDir, { recursive: true, force: true })
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** Serves `dir` on 127.0.0.1 (a free port); resolves with its base URL. */
export async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    res.end(readFileSync(file))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function isLocal(url: string): boolean {
  const u = new URL(url)
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true
  return (
    (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:') &&
    (u.hostname === '127.0.0.1' || u.hostname === 'localhost')
  )
}

export interface App {
  page: Page
  context: BrowserContext
  browser: Browser
  url: string
  /** Requests that tried to leave localhost (aborted). */
  external: string[]
  /** Uncaught page errors and console errors. */
  errors: string[]
  /** Closes everything; throws when a request tried to leave localhost. */
  close(): Promise<void>
}

export interface OpenOptions {
  width?: number
  height?: number
  deviceScaleFactor?: number
  colorScheme?: 'light' | 'dark'
  /** Extra Chromium flags (the benchmark adds memory flags). */
  args?: string[]
}

export async function openApp(options: OpenOptions = {}): Promise<App> {
  await ensureWebBuild()
  const { url, server } = await serveStatic(webDir)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  })
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  const external: string[] = []
  const errors: string[] = []
  await context.route('**/*', (route) => {
    const target = route.request().url()
    if (isLocal(target)) return route.continue()
    external.push(target)
    return route.abort('blockedbyclient')
  })
  context.on('weberror', (e) => errors.push(String(e.error())))
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
  await page.waitForSelector('[data-testid=train]')
  return {
    page,
    context,
    browser,
    url,
    external,
    errors,
    async close() {
      await browser.close().catch(() => undefined)
      await new Promise((r) => server.close(r))
      if (external.length) throw new Error(`requests left localhost: ${external.join(', ')}`)
    },
  }
}

/**
 * Saves a screenshot as NAME.png in screenshotDir (the README's pictures, with `npm run screenshots`):
 * the page, or only the element `selector` names.
 */
export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name}.png`)
  await (selector ? page.locator(selector).screenshot({ path }) : page.screenshot({ path }))
}

// ---- helpers for driving the app ----

/** Replaces the text of a field (by data-testid) as a user would. */
export async function fill(page: Page, testid: string, text: string): Promise<void> {
  await page.fill(`[data-testid="${testid}"]`, text)
}

/** Moves a range input (by data-testid) to `value` as dragging it would: a range cannot be typed into, so its value is set and the input event the page listens to is sent. */
export async function slide(page: Page, testid: string, value: number): Promise<void> {
  await page.locator(`[data-testid="${testid}"]`).evaluate((el, v) => {
    const input = el as HTMLInputElement
    input.value = String(v)
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
}

/** Waits until the training status is `status` (the progress bar's data-status). */
export async function waitForStatus(page: Page, status: 'idle' | 'running' | 'paused' | 'done', timeout = 30_000): Promise<void> {
  await page.waitForSelector(`.progress[data-status="${status}"]`, { timeout })
}

/** Opens the CSV dialog (Import CSV…) and chooses the file at `path` through the real file chooser; returns once its preview shows. */
export async function chooseCsv(page: Page, path: string): Promise<void> {
  await page.click('[data-testid=import-csv]')
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=csv-file]')])
  await chooser.setFiles(path)
  await page.waitForSelector('[data-testid=csv-preview]')
}

/** Sets the table's precision to all 17 digits, shows `epoch` and returns the cell `column` as a number. */
export async function tableValue(page: Page, epoch: number, column: string): Promise<number> {
  await page.selectOption('[data-testid=precision]', '17')
  await fill(page, 'jump-input', String(epoch))
  await page.press('[data-testid=jump-input]', 'Enter')
  await page.selectOption('[data-testid=column-jump]', column)
  const cell = page.locator(`[data-testid=epoch-table] [data-epoch="${epoch}"] [data-col="${column}"]`)
  return Number((await cell.textContent())?.trim())
}

/** Rows in the table (its data-rows attribute). */
export async function tableRows(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=epoch-table]', 'data-rows'))
}

/** Reloads the page without the File System Access pickers: Open uses the file input and Save downloads (as in Firefox), which a test can drive and watch. */
export async function withoutFilePickers(app: App): Promise<void> {
  await app.context.addInitScript('delete window.showSaveFilePicker; delete window.showOpenFilePicker')
  await app.page.reload()
  await app.page.waitForSelector('[data-testid=train]')
}
