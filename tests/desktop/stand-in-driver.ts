import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, root } from '../e2e/harness'
import type { DesktopApp, Driver, LaunchOptions, QuitReport, WindowInfo } from './driver'
import type { ChildConfig } from './stand-in/child'

/**
 * The built app (out/main, out/preload, out/renderer) in a Node child process whose `electron` is
 * the stand-in; the test reaches the same Chromium over CDP to read and drive the pages.
 */
export const standInDriver: Driver = {
  name: 'stand-in',
  skip: null,
  launch,
}

async function launch(o: LaunchOptions): Promise<DesktopApp> {
  const config: ChildConfig = {
    main: resolve(root, 'out/main/index.js'),
    appPath: root,
    userData: o.userData,
    profile: mkdtempSync(join(tmpdir(), 'bplab-chromium-')),
    args: o.args ?? [],
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromiumArgs: CHROMIUM_ARGS,
  }
  const child: ChildProcess = fork(resolve(root, 'tests/desktop/stand-in/child.mjs'), [], {
    cwd: o.cwd ?? root,
    env: { ...process.env, ELECTRON_STAND_IN: JSON.stringify(config), ELECTRON_RENDERER_URL: '' },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
  })
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextId = 1
  let browser: Browser | null = null
  let report: QuitReport | null = null
  let onBrowser!: (port: number) => void
  const browserPort = new Promise<number>((r) => (onBrowser = r))
  const exited = new Promise<QuitReport>((resolveExit) => {
    child.on('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the app exited (${code}):\n${output}`))
      resolveExit({ ...(report ?? {}), code })
    })
  })
  child.on(
    'message',
    (m: { id?: number; ok?: boolean; value?: unknown; error?: string; event?: string; port?: number; code?: number; report?: never }) => {
      if (m.event === 'browser') onBrowser(m.port!)
      else if (m.event === 'exit') {
        const r = m.report as unknown as { workers: QuitReport['workers']; log: { sendsAfterQuit: string[] } }
        report = { code: m.code ?? null, workers: r.workers, sendsAfterQuit: r.log.sendsAfterQuit }
      } else if (m.id !== undefined) {
        const p = pending.get(m.id)
        pending.delete(m.id)
        if (m.ok) p?.resolve(m.value)
        else p?.reject(new Error(m.error))
      }
    }
  )
  const call = <T>(op: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolveCall, reject) => {
      if (child.exitCode !== null) return reject(new Error(`the app has exited:\n${output}`))
      const id = nextId++
      pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject })
      child.send({ id, op, args })
    })

  // A second instance hands its arguments to the first and exits without a browser.
  const port = await Promise.race([browserPort, exited.then(() => null)])
  if (port !== null) browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
  const targetIds = new WeakMap<Page, string>()
  const targetOf = async (page: Page): Promise<string> => {
    if (!targetIds.has(page)) {
      const cdp = await page.context().newCDPSession(page)
      targetIds.set(page, (await cdp.send('Target.getTargetInfo')).targetInfo.targetId)
      await cdp.detach()
    }
    return targetIds.get(page)!
  }

  const app: DesktopApp = {
    async window() {
      const deadline = Date.now() + 30_000
      for (;;) {
        const [first] = await call<(WindowInfo & { targetId: string })[]>('windows')
        if (first) {
          for (const page of browser?.contexts()[0]?.pages() ?? []) {
            if (page.isClosed()) continue
            if ((await targetOf(page).catch(() => '')) === first.targetId) return page
          }
        }
        if (Date.now() > deadline) throw new Error(`no window appeared:\n${output}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    windows: () => call('windows'),
    menu: (...labels) => call('menu', labels),
    answerDialog: (answer) => call('answerDialog', answer),
    log: () => call('log'),
    evaluateMain: (fn, arg) => call('evaluateMain', fn.toString(), arg),
    async crash() {
      const page = await app.window()
      const cdp = await page.context().newCDPSession(page)
      // Page.crash never answers: the renderer is gone.
      void cdp.send('Page.crash').catch(() => undefined)
    },
    close: () => call('close'),
    exited: () => exited,
    async kill() {
      await browser?.close().catch(() => undefined)
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
    },
  }
  return app
}
