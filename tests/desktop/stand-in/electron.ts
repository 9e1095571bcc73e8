import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { BrowserWindow, setWindowHost } from './browser-window'
import { strictIpcMain } from './ipc-main'
import { createMenu, type MenuModule } from './menu'
import { acquireSingleInstanceLock, releaseSingleInstanceLock } from './single-instance'
import { log, MIME, notInStandIn, strict, type DialogAnswer, fromChromiumUrl } from './shared'
import { contentsOfPage, electronEvent, type WebContents } from './web-contents'

/**
 * The `electron` module for the built main process, as far as src/main uses it (Electron 41's
 * documented behaviour; docs/desktop-shell.md lists it). Everything else throws
 * "<name> is not in the Electron stand-in".
 */
export interface StandInOptions {
  userData: string
  appPath: string
  /** Starts Chromium; called once, before 'ready'. */
  launchBrowser(): Promise<BrowserContext>
  /** Called after 'quit' with the exit code: the process ends there. */
  exit(code: number): void
}

/** The test's handle on the stand-in (not part of `electron`). */
export interface Control {
  app: EventEmitter & { start(): Promise<void> }
  answerDialog(answer: DialogAnswer): void
  pendingAnswers(): number
  start(): Promise<void>
}

/** `electron` as main imports it: only the names listed in docs/desktop-shell.md. */
export type ElectronStandIn = Record<string, unknown> & { app: { quit(): void }; Menu: MenuModule }

export function createElectron(o: StandInOptions): { electron: ElectronStandIn; control: Control } {
  const pkg = JSON.parse(readFileSync(join(o.appPath, 'package.json'), 'utf8')) as { name: string; productName?: string; version: string }
  let context: BrowserContext | null = null
  let ready = false
  let quitting = false
  let schemesRegistered = false
  let permissionHandler: Parameters<Session['setPermissionRequestHandler']>[0] | null = null
  const dialogAnswers: DialogAnswer[] = []
  const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>()
  const headersReceived: ((details: object, callback: (r: object) => void) => void)[] = []

  // ---- app ----
  class App extends EventEmitter {
    readonly isPackaged = false
    private readyPromise: Promise<void>
    private resolveReady!: () => void
    constructor() {
      super()
      this.readyPromise = new Promise((r) => (this.resolveReady = r))
    }
    whenReady(): Promise<void> {
      return this.readyPromise
    }
    isReady(): boolean {
      return ready
    }
    getName(): string {
      return pkg.productName ?? pkg.name
    }
    getVersion(): string {
      return pkg.version
    }
    getAppPath(): string {
      return o.appPath
    }
    getPath(name: string): string {
      const paths: Record<string, string> = {
        userData: o.userData,
        appData: join(o.userData, '..'),
        temp: join(o.userData, '..', 'temp'),
        logs: join(o.userData, 'logs'),
      }
      if (!(name in paths)) notInStandIn(`app.getPath('${name}')`)
      return paths[name]
    }
    requestSingleInstanceLock(additionalData?: unknown): boolean {
      return acquireSingleInstanceLock(o.userData, additionalData, (argv, cwd, data) =>
        this.emit('second-instance', electronEvent(), argv, cwd, data)
      )
    }
    /** Electron's order: before-quit, every window closed (each may refuse), will-quit, quit, exit. */
    quit(): void {
      if (quitting) return
      const before = electronEvent()
      this.emit('before-quit', before)
      if (before.defaultPrevented) return
      quitting = true
      const open = BrowserWindow.getAllWindows()
      if (open.length === 0) void this.finishQuit()
      for (const win of open) win.close()
      // A window that refused to close (the unsaved-changes prompt) cancels the quit.
      setImmediate(() => {
        if (BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && !(w as unknown as { closing: boolean }).closing)) quitting = false
      })
    }
    exit(code = 0): void {
      quitting = true
      void shutdown(code)
    }
    async finishQuit(): Promise<void> {
      const will = electronEvent()
      this.emit('will-quit', will)
      if (will.defaultPrevented) {
        quitting = false
        return
      }
      this.emit('quit', electronEvent(), 0)
      await shutdown(0)
    }
    /** The stand-in's own: Chromium up, then 'will-finish-launching' and 'ready'. */
    async start(): Promise<void> {
      context = await o.launchBrowser()
      context.on('page', (page: Page) => {
        const opener = page.opener()
        void opener.then((p) => (p ? contentsOfPage(p)?.onPopup(page) : undefined))
      })
      await context.route('**/*', (route) => void serve(route))
      this.emit('will-finish-launching')
      ready = true
      this.emit('ready', electronEvent(), {})
      this.resolveReady()
    }
  }
  const app = new App()

  async function shutdown(code: number): Promise<void> {
    releaseSingleInstanceLock(o.userData)
    o.exit(code)
  }

  setWindowHost({
    context: () => context ?? notInStandIn('a BrowserWindow before app is ready'),
    preloadSource: (path) => readFileSync(path, 'utf8'),
    permissionHandler: () => permissionHandler as never,
    quitting: () => quitting,
    windowClosed(remaining) {
      if (remaining > 0) return
      if (quitting) void app.finishQuit()
      else if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed')
      else app.quit()
    },
  })

  /** Every request of every page: app:// to its protocol handler, anything else refused (no remote content). */
  async function serve(route: import('playwright-core').Route): Promise<void> {
    const request = route.request()
    const url = fromChromiumUrl(request.url())
    // A popup's first navigation comes before its frame exists: no window of ours asked for it.
    let frame: import('playwright-core').Frame | null = null
    try {
      frame = request.frame()
    } catch {
      frame = null
    }
    const contents = frame ? contentsOfPage(frame.page()) : undefined
    if (
      request.isNavigationRequest() &&
      frame &&
      frame === frame.page().mainFrame() &&
      contents &&
      !contents.allowsNavigation(request.url())
    )
      return route.abort('aborted')
    const scheme = url.slice(0, url.indexOf(':'))
    const handler = protocolHandlers.get(scheme)
    if (!handler) {
      log.blockedRequests.push(url)
      return route.abort('blockedbyclient')
    }
    try {
      const response = await handler(new Request(url, { method: request.method(), headers: request.headers() }))
      const body = Buffer.from(await response.arrayBuffer())
      await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body })
    } catch (error) {
      log.misuse.push(`the ${scheme}:// handler failed for ${url}: ${String(error)}`)
      await route.abort('failed')
    }
  }

  // ---- protocol, session, net ----
  const protocolApi = {
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      if (!schemesRegistered) log.misuse.push(`protocol.handle('${scheme}') without registerSchemesAsPrivileged`)
      protocolHandlers.set(scheme, handler)
    },
    unhandle(scheme: string): void {
      protocolHandlers.delete(scheme)
    },
    isProtocolHandled: (scheme: string) => protocolHandlers.has(scheme),
  }
  const protocol = strict('protocol.', {
    ...protocolApi,
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
      if (ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      const s = schemes.find((x) => x.scheme === 'app')
      // The stand-in maps app:// onto an https origin: only a standard, secure scheme behaves like that.
      if (!s?.privileges?.standard || !s.privileges.secure) log.misuse.push('app:// must be registered standard and secure')
      schemesRegistered = true
    },
  })

  interface Session {
    setPermissionRequestHandler(
      h: ((contents: WebContents, permission: string, callback: (granted: boolean) => void, details: object) => void) | null
    ): void
  }
  const defaultSession = strict('session.defaultSession.', {
    protocol: strict('session.protocol.', protocolApi),
    setPermissionRequestHandler(h: Parameters<Session['setPermissionRequestHandler']>[0]) {
      permissionHandler = h
    },
    permissionCheckHandler: null as unknown,
    setPermissionCheckHandler(h: unknown) {
      defaultSession.permissionCheckHandler = h
    },
    deviceHandler: null as unknown,
    setDevicePermissionHandler(h: unknown) {
      defaultSession.deviceHandler = h
    },
    webRequest: strict('session.webRequest.', {
      // Only http(s) responses pass here in Electron; the stand-in serves none (no remote content), so it records the listener.
      onHeadersReceived(listener: (details: object, callback: (r: object) => void) => void) {
        headersReceived.push(listener)
      },
    }),
  })
  const session = strict('session.', {
    get defaultSession() {
      if (!ready) throw new Error('Session can only be received when app is ready')
      return defaultSession
    },
  })

  const net = strict('net.', {
    /** file:// only: the protocol handler reads the renderer's files; anything remote is refused. */
    async fetch(input: string | URL): Promise<Response> {
      const url = new URL(String(input))
      if (url.protocol !== 'file:') notInStandIn(`net.fetch of ${url.protocol} URLs`)
      const path = fileURLToPath(url)
      if (!existsSync(path)) throw new Error('net::ERR_FILE_NOT_FOUND')
      const body = await readFile(path)
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': MIME[extname(path)] ?? 'application/octet-stream', 'Content-Length': String(body.length) },
      })
    },
  })

  // ---- dialog: scripted answers, every dialog recorded ----
  const nextAnswer = <T extends DialogAnswer['type']>(type: T, options: unknown): Extract<DialogAnswer, { type: T }> | null => {
    log.dialogs.push({ type, options })
    const answer = dialogAnswers.shift()
    if (!answer || answer.type !== type) {
      log.misuse.push(`a ${type} dialog with ${answer ? `a ${answer.type} answer` : 'no answer'} scripted`)
      return null
    }
    return answer as Extract<DialogAnswer, { type: T }>
  }
  const withoutWindow = (args: unknown[]): unknown => (args.length > 1 ? args[1] : args[0])
  const dialog = strict('dialog.', {
    async showOpenDialog(...args: unknown[]) {
      const a = nextAnswer('open', withoutWindow(args))
      return a?.filePaths ? { canceled: false, filePaths: a.filePaths } : { canceled: true, filePaths: [] }
    },
    async showSaveDialog(...args: unknown[]) {
      const a = nextAnswer('save', withoutWindow(args))
      return a?.filePath ? { canceled: false, filePath: a.filePath } : { canceled: true, filePath: '' }
    },
    async showMessageBox(...args: unknown[]) {
      const options = withoutWindow(args) as { cancelId?: number }
      const a = nextAnswer('message', options)
      return { response: a ? a.response : (options.cancelId ?? 0), checkboxChecked: false }
    },
    showErrorBox(title: string, content: string) {
      log.errorBoxes.push({ title, content })
    },
  })

  // ---- nativeTheme, screen ----
  const nativeTheme = new (class extends EventEmitter {
    private source: 'system' | 'light' | 'dark' = 'system'
    get themeSource() {
      return this.source
    }
    set themeSource(value) {
      this.source = value
      for (const win of BrowserWindow.getAllWindows())
        void win.webContents.page?.emulateMedia({ colorScheme: value === 'system' ? null : value }).catch(() => undefined)
      this.emit('updated')
    }
    get shouldUseDarkColors() {
      return this.source === 'dark'
    }
  })()
  const display = {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 0, width: 1920, height: 1050 },
    scaleFactor: 1,
    rotation: 0,
    internal: false,
  }
  const screen = strict('screen.', { getAllDisplays: () => [display], getPrimaryDisplay: () => display })

  const BrowserWindowExport = new Proxy(BrowserWindow, {
    construct: (target, args) => (new target(...(args as [])) as BrowserWindow).self,
    get: (target, name) => {
      if (name === 'getAllWindows' || name === 'getFocusedWindow' || name === 'prototype' || typeof name === 'symbol')
        return Reflect.get(target, name)
      return notInStandIn(`BrowserWindow.${String(name)}`)
    },
  })

  const exports = {
    app: strict('app.', app),
    BrowserWindow: BrowserWindowExport,
    ipcMain: strictIpcMain,
    Menu: createMenu(
      () => BrowserWindow.getFocusedWindow(),
      () => app.quit()
    ),
    dialog,
    protocol,
    net,
    session,
    nativeTheme: strict('nativeTheme.', nativeTheme),
    screen,
  }

  const control: Control = {
    app,
    answerDialog: (answer: DialogAnswer) => void dialogAnswers.push(answer),
    pendingAnswers: () => dialogAnswers.length,
    start: () => app.start(),
  }
  mkdirSync(o.userData, { recursive: true })
  return { electron: strict('electron.', exports, false) as unknown as ElectronStandIn, control }
}
