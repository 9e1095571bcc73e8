import { fork, spawn, type ChildProcess } from 'node:child_process'
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
  async dispose() {
    const shared = await chromiumOnce
    chromiumOnce = null
    await shared?.browser.close().catch(() => undefined)
    shared?.process.kill()
  },
}

/**
 * One Chromium for every launch of a test file: starting it is a good part of a launch's cost. Each
 * app process opens a browser context of its own in it (storage apart, as a new Electron profile).
 */
let chromiumOnce: Promise<{ endpoint: string; browser: Browser; process: ChildProcess }> | null = null
function sharedChromium(): Promise<{ endpoint: string; browser: Browser; process: ChildProcess }> {
  chromiumOnce ??= (async () => {
    const profile = mkdtempSync(join(tmpdir(), 'bplab-chromium-'))
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
    const proc = spawn(
      chromiumPath,
      ['--headless', ...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      }
    )
    const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
      let text = ''
      proc.stderr?.on('data', (d) => {
        text += d
        const m = /DevTools listening on (ws:\S+)/.exec(text)
        if (m) resolveEndpoint(m[1])
      })
      proc.on('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${text}`)))
    })
    return { endpoint, browser: await chromium.connectOverCDP(endpoint), process: proc }
  })()
  return chromiumOnce
}

/** `main` runs another main script than the built app's (the stand-in's own tests). */
export async function launch(o: LaunchOptions & { main?: string }): Promise<DesktopApp> {
  const shared = await sharedChromium()
  const config: ChildConfig = {
    main: o.main ?? resolve(root, 'out/main/index.js'),
    appPath: root,
    userData: o.userData,
    args: o.args ?? [],
    cdpEndpoint: shared.endpoint,
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
  const browser = shared.browser
  let report: QuitReport | null = null
  const exited = new Promise<QuitReport>((resolveExit) => {
    child.on('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the app exited (${code}):\n${output}`))
      resolveExit({ ...(report ?? {}), code })
    })
  })
  child.on(
    'message',
    (m: { id?: number; ok?: boolean; value?: unknown; error?: string; event?: string; code?: number; report?: never }) => {
      if (m.event === 'exit') {
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
          for (const page of browser.contexts().flatMap((c) => c.pages())) {
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
