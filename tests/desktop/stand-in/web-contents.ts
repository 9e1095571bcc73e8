import { EventEmitter } from 'node:events'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { ipcMain } from './ipc-main'
import { codec, fromChromiumUrl, log, pageScript, strict, toChromiumUrl } from './shared'

const WORLD = 'electron-preload'
const IPC_BINDING = '__electronStandInIpc'
const DELIVER = '__electronStandInDeliver'
const PERMISSION_BINDING = '__electronStandInPermission'
const PERMISSION_REPLY = '__electronStandInPermissionReply'

/** What a webContents needs from the rest of the stand-in. */
export interface Host {
  context(): BrowserContext
  preloadSource(path: string): string
  permissionHandler(): ((contents: WebContents, permission: string, callback: (granted: boolean) => void, details: object) => void) | null
  quitting(): boolean
}

export interface ElectronEvent {
  preventDefault(): void
  defaultPrevented: boolean
}
export function electronEvent(extra: object = {}): ElectronEvent {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true
    },
  }
  return event
}

let nextId = 1
const byPage = new Map<Page, WebContents>()
export const contentsOfPage = (page: Page): WebContents | undefined => byPage.get(page)

/**
 * One webContents: a Chromium page driven through playwright-core. The preload runs in an
 * isolated world of its own; IPC crosses a CDP binding that only that world has. After a renderer
 * crash, reload() replaces the dead page with a new one (the webContents object stays, as in Electron).
 */
export class WebContents extends EventEmitter {
  readonly id = nextId++
  /** The object main sees (unknown properties throw); it is also every IPC event's `sender`. */
  readonly self: WebContents = strict('webContents.', this)
  page: Page | null = null
  private cdp: CDPSession | null = null
  private destroyed = false
  private crashed = false
  private url = ''
  private allowedNavigation: string | null = null
  private mainFrameId = ''
  private readonly frames = new Map<string, { url: string; parentId?: string }>()
  private readonly isolatedContexts = new Map<number, string>()
  /** URLs of window.open calls (CDP Page.windowOpen), for the popups Chromium creates next. */
  private readonly opening: string[] = []
  private windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  private ready: Promise<void>

  constructor(
    private readonly host: Host,
    private readonly preload: string | undefined,
    private readonly size: { width: number; height: number },
    readonly owner: () => unknown
  ) {
    super()
    this.ready = this.attach()
  }

  private async attach(): Promise<void> {
    const page = await this.host.context().newPage()
    this.page = page
    this.crashed = false
    byPage.set(page, this)
    await page.setViewportSize(this.size)
    const cdp = (this.cdp = await this.host.context().newCDPSession(page))
    this.frames.clear()
    this.isolatedContexts.clear()
    cdp.on('Page.frameNavigated', ({ frame }) => this.frames.set(frame.id, { url: frame.url, parentId: frame.parentId }))
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      if (context.name === WORLD) this.isolatedContexts.set(context.id, context.auxData?.frameId as string)
    })
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => this.isolatedContexts.delete(executionContextId))
    cdp.on('Runtime.executionContextsCleared', () => this.isolatedContexts.clear())
    cdp.on('Page.windowOpen', ({ url }) => this.opening.push(url))
    cdp.on('Runtime.bindingCalled', (e) => void this.onBinding(e.name, e.payload, e.executionContextId))
    await cdp.send('Page.enable')
    await cdp.send('Runtime.enable')
    const tree = await cdp.send('Page.getFrameTree')
    this.mainFrameId = tree.frameTree.frame.id
    await cdp.send('Runtime.addBinding', { name: IPC_BINDING, executionContextName: WORLD })
    await cdp.send('Runtime.addBinding', { name: PERMISSION_BINDING })
    const codecText = pageScript('codec.js')
    const bridgeText = pageScript('bridge.js')
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
      source: `(${pageScript('main-world.js')})((${codecText}), (${bridgeText}), ${JSON.stringify(PERMISSION_BINDING)}, ${JSON.stringify(PERMISSION_REPLY)})`,
    })
    if (this.preload)
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
        worldName: WORLD,
        source: `(${pageScript('isolated.js')})((${codecText}), (${bridgeText}), function (require, module, exports) {\n${this.host.preloadSource(this.preload)}\n}, ${JSON.stringify(IPC_BINDING)}, ${JSON.stringify(DELIVER)})`,
      })
    page.on('console', (m) => {
      if (m.type() === 'error') log.consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => log.consoleErrors.push(String(e)))
    page.on('crash', () => {
      this.crashed = true
      this.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 139 })
    })
  }

  /** Called by the session's route for every request of this page: is this navigation allowed? */
  allowsNavigation(chromiumUrl: string): boolean {
    if (this.allowedNavigation === chromiumUrl) {
      this.allowedNavigation = null
      return true
    }
    // A reload is not a navigation the page asks for: Electron emits no will-navigate for it.
    if (this.page && chromiumUrl === this.page.url()) return true
    const event = electronEvent({ url: fromChromiumUrl(chromiumUrl), isMainFrame: true })
    this.emit('will-navigate', event, fromChromiumUrl(chromiumUrl))
    if (event.defaultPrevented) log.preventedNavigations.push(fromChromiumUrl(chromiumUrl))
    return !event.defaultPrevented
  }

  /** A popup Chromium opened for this page: the window-open handler decides; 'deny' closes it at once. */
  async onPopup(popup: Page): Promise<void> {
    const url = fromChromiumUrl(this.opening.shift() ?? popup.url())
    const action = this.windowOpenHandler?.({ url })?.action ?? 'allow'
    log.windowOpens.push({ url, action })
    if (action === 'deny') await popup.close()
    else log.misuse.push(`window.open allowed for ${url}: new windows are not in the Electron stand-in`)
  }

  private async onBinding(name: string, payload: string, contextId: number): Promise<void> {
    if (name === PERMISSION_BINDING) return this.onPermission(JSON.parse(payload))
    if (name !== IPC_BINDING) return
    const m = JSON.parse(payload)
    const frameId = this.isolatedContexts.get(contextId) ?? ''
    if (m.t === 'preload-error') {
      log.preloadErrors.push(m.message)
      return
    }
    const frame = this.frames.get(frameId)
    const senderFrame = frame
      ? {
          url: fromChromiumUrl(frame.url),
          parent: frame.parentId ? { url: fromChromiumUrl(this.frames.get(frame.parentId)?.url ?? '') } : null,
          name: '',
        }
      : null
    const event = { sender: this.self, senderFrame, frameId, processId: 1, ports: [] as unknown[] }
    const args = codec.decode(m.args) as unknown[]
    if (m.t === 'send') ipcMain.emit(m.channel, event, ...args)
    else if (m.t === 'invoke') {
      const result = await ipcMain.invoke(m.channel, event, args)
      if (!result.ok && /refused|untrusted/.test(result.message)) log.refusedIpc.push(`${m.channel} from ${senderFrame?.url}`)
      let reply: object
      try {
        reply = result.ok
          ? { t: 'reply', id: m.id, ok: true, value: codec.encode(result.value) }
          : { t: 'reply', id: m.id, ok: false, message: result.message }
      } catch (error) {
        reply = { t: 'reply', id: m.id, ok: false, message: `Error invoking remote method '${m.channel}': ${String(error)}` }
      }
      await this.deliver(reply, contextId)
    }
  }

  private onPermission(request: { id: number; permission: string; url: string }): void {
    const handler = this.host.permissionHandler()
    const answer = (granted: boolean): void => {
      log.permissionRequests.push({ permission: request.permission, url: fromChromiumUrl(request.url), granted })
      void this.page
        ?.evaluate(([name, id, ok]) => (globalThis as never as Record<string, (i: number, g: boolean) => void>)[name](id, ok), [
          PERMISSION_REPLY,
          request.id,
          granted,
        ] as const)
        .catch(() => undefined)
    }
    // With no handler Electron grants most permissions: the app must install one.
    if (!handler) answer(true)
    else handler(this, request.permission, answer, { requestingUrl: fromChromiumUrl(request.url), isMainFrame: true })
  }

  private async deliver(message: object, contextId?: number): Promise<void> {
    const target = contextId ?? [...this.isolatedContexts].find(([, frame]) => frame === this.mainFrameId)?.[0]
    if (target === undefined || !this.cdp || this.crashed) return
    log.delivered.messages++
    // The message goes as a CDP argument value: no script text to build or parse.
    await this.cdp
      .send('Runtime.callFunctionOn', {
        functionDeclaration: `function (m) { globalThis.${DELIVER}(m) }`,
        executionContextId: target,
        arguments: [{ value: message }],
      })
      .catch(() => undefined)
  }

  // ---- the webContents API main uses ----

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    if (this.host.quitting()) log.sendsAfterQuit.push(channel)
    const encoded = codec.encode(args)
    void this.ready.then(() => this.deliver({ t: 'message', channel, args: encoded }))
  }

  async loadURL(url: string): Promise<void> {
    await this.ready
    this.url = url
    const target = toChromiumUrl(url)
    this.allowedNavigation = target
    await this.page!.goto(target, { waitUntil: 'load' })
    this.emit('dom-ready', electronEvent())
    this.emit('did-finish-load', electronEvent())
  }

  /** After a crash the page is dead for good: a new page takes its place, and loads the same URL. */
  reload(): void {
    void (async () => {
      await this.ready
      if (this.crashed) {
        const dead = this.page!
        byPage.delete(dead)
        this.ready = this.attach()
        await dead.close().catch(() => undefined)
      }
      await this.loadURL(this.url)
    })().catch((e) => log.misuse.push(`reload failed: ${String(e)}`))
  }

  /** What the hang watch does to a page that stopped answering: CDP's Page.crash, then render-process-gone. */
  forcefullyCrashRenderer(): void {
    void this.ready.then(() => this.cdp?.send('Page.crash').catch(() => undefined))
  }

  getURL(): string {
    return this.url
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  isCrashed(): boolean {
    return this.crashed
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
  async setSize(size: { width: number; height: number }): Promise<void> {
    Object.assign(this.size, size)
    await this.ready
    await this.page!.setViewportSize(this.size).catch(() => undefined)
  }
  async targetId(): Promise<string> {
    await this.ready
    const info = await this.cdp!.send('Target.getTargetInfo')
    return info.targetInfo.targetId
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    await this.ready.catch(() => undefined)
    if (this.page) byPage.delete(this.page)
    await this.page?.close().catch(() => undefined)
    this.emit('destroyed')
  }
}
