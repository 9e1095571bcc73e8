import Module, { syncBuiltinESMExports } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import workerThreads from 'node:worker_threads'
import { chromium, type BrowserContext } from 'playwright-core'
import { createElectron } from './electron'
import { log } from './shared'
import { BrowserWindow } from './browser-window'

/** What the driver passes in ELECTRON_STAND_IN (JSON). */
export interface ChildConfig {
  main: string
  appPath: string
  userData: string
  args: string[]
  /** The Chromium every launch of a test file shares (each app gets a browser context of its own). */
  cdpEndpoint: string
}

export type ChildRequest = { id: number; op: string; args: unknown[] }

/** Every worker thread main starts, so that the end of the process can say whether any is left running. */
function trackWorkers(quitting: () => boolean) {
  const all: { exited: boolean; terminated: boolean }[] = []
  let messagesAfterQuit = 0
  class TrackedWorker extends workerThreads.Worker {
    private readonly state = { exited: false, terminated: false }
    constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
      super(...args)
      all.push(this.state)
      this.on('exit', () => (this.state.exited = true))
    }
    override terminate(): Promise<number> {
      this.state.terminated = true
      return super.terminate()
    }
    override emit(name: string | symbol, ...args: unknown[]): boolean {
      // A message still in flight when the pool terminates the thread; the pool must drop it.
      if (name === 'message' && quitting()) messagesAfterQuit++
      return super.emit(name, ...args)
    }
  }
  workerThreads.Worker = TrackedWorker
  syncBuiltinESMExports()
  return {
    report: () => ({
      started: all.length,
      running: all.filter((w) => !w.exited && !w.terminated).length,
      exited: all.filter((w) => w.exited).length,
      messagesAfterQuit,
    }),
    settled: async (ms: number) => {
      const end = Date.now() + ms
      while (all.some((w) => w.terminated && !w.exited) && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    },
  }
}

export async function runChild(): Promise<void> {
  const config = JSON.parse(process.env.ELECTRON_STAND_IN ?? '{}') as ChildConfig
  const send = (message: object): void => void process.send?.(message)
  let quitting = false
  let context: BrowserContext | null = null
  const workers = trackWorkers(() => quitting)

  const { electron, control } = createElectron({
    userData: config.userData,
    appPath: config.appPath,
    async launchBrowser() {
      const browser = await chromium.connectOverCDP(config.cdpEndpoint)
      context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
      return context
    },
    exit(code) {
      quitting = true
      void (async () => {
        await workers.settled(2000)
        send({ event: 'exit', code, report: { workers: workers.report(), log } })
        await context?.close().catch(() => undefined)
        process.exit(code)
      })()
    },
  })
  control.app.on('will-quit', () => (quitting = true))

  // ESM imports of `electron` go through hooks.mjs; CommonJS requires land here.
  ;(globalThis as Record<symbol, unknown>)[Symbol.for('electron-stand-in')] = electron
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string }
  const original = M._resolveFilename
  M._resolveFilename = (request, ...rest) =>
    request === 'electron' ? resolve(import.meta.dirname, 'electron.cjs') : original(request, ...rest)

  process.on('message', (raw) => void answer(raw as ChildRequest))
  async function answer({ id, op, args }: ChildRequest): Promise<void> {
    try {
      send({ id, ok: true, value: await perform(op, args) })
    } catch (error) {
      send({ id, ok: false, error: error instanceof Error ? error.message : String(error) })
    }
  }
  async function perform(op: string, args: unknown[]): Promise<unknown> {
    const windows = BrowserWindow.getAllWindows()
    switch (op) {
      case 'menu':
        return electron.Menu.clickByLabels(args[0] as string[])
      case 'answerDialog':
        return control.answerDialog(args[0] as never)
      case 'log':
        return { ...log, pendingAnswers: control.pendingAnswers(), workers: workers.report() }
      case 'windows':
        return Promise.all(
          windows.map(async (w) => ({
            id: w.id,
            targetId: await w.webContents.targetId(),
            title: w.getTitle(),
            bounds: w.getBounds(),
            visible: w.isVisible(),
            url: w.webContents.getURL(),
          }))
        )
      case 'evaluateMain':
        return (0, eval)(`(${args[0] as string})`)(electron, args[1])
      case 'close':
        return windows[0]?.close()
      case 'quit':
        return electron.app.quit()
    }
    throw new Error(`unknown request ${op}`)
  }

  // As `electron out/main/index.js ARGS…` would see it.
  process.argv = [process.execPath, config.main, ...config.args]
  Reflect.deleteProperty(process.env, 'ELECTRON_RENDERER_URL')
  await import(pathToFileURL(config.main).href)
  if (!quitting) await control.start()
}
