import { EventEmitter } from 'node:events'
import { electronEvent, WebContents, type Host } from './web-contents'
import { strict } from './shared'

interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

const windows: BrowserWindow[] = []
let nextId = 1
let focused: BrowserWindow | null = null

/** What a window tells the app: the last one closed (window-all-closed, or the quit going on). */
export interface WindowHost extends Host {
  windowClosed(remaining: number): void
}
let host: WindowHost
export function setWindowHost(h: WindowHost): void {
  host = h
}

/* eslint-disable @typescript-eslint/no-this-alias -- the focused window is tracked by identity */
/** A BrowserWindow: bounds and title kept here, its page in Chromium (the viewport follows the size). */
export class BrowserWindow extends EventEmitter {
  readonly id = nextId++
  readonly webContents: WebContents
  readonly self: BrowserWindow = strict('BrowserWindow.prototype.', this)
  private bounds: Bounds
  private title = ''
  private visible = false
  private maximized = false
  private minimized = false
  private destroyed = false
  private closing = false
  readonly options: Record<string, unknown>

  constructor(options: Record<string, unknown> = {}) {
    super()
    this.options = options
    const prefs = (options.webPreferences ?? {}) as Record<string, unknown>
    // The page can only be what the app asks for: the stand-in runs sandboxed, isolated pages and nothing else.
    if (prefs.contextIsolation === false || prefs.nodeIntegration === true || prefs.sandbox === false)
      throw new Error('only sandboxed, context-isolated windows without Node are in the Electron stand-in')
    const width = Number(options.width ?? 800)
    const height = Number(options.height ?? 600)
    // No x/y: the window manager centres it on the 1920×1080 display.
    this.bounds = {
      x: Number(options.x ?? Math.round((1920 - width) / 2)),
      y: Number(options.y ?? Math.round((1050 - height) / 2)),
      width,
      height,
    }
    this.webContents = new WebContents(host, prefs.preload as string | undefined, { width, height }, () => this.self).self
    windows.push(this)
    focused = this
    if (options.show !== false) this.show()
  }

  static getAllWindows(): BrowserWindow[] {
    return windows.map((w) => w.self)
  }
  static getFocusedWindow(): BrowserWindow | null {
    return focused?.self ?? null
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url).then(() => {
      if (!this.visible) this.emit('ready-to-show', electronEvent())
    })
  }
  show(): void {
    this.visible = true
    focused = this
    this.emit('show')
  }
  isVisible(): boolean {
    return this.visible
  }
  focus(): void {
    focused = this
    this.emit('focus')
  }
  isFocused(): boolean {
    return focused === this
  }
  setTitle(title: string): void {
    this.title = title
  }
  getTitle(): string {
    return this.title
  }
  /** macOS's unsaved-changes dot in the title bar: nothing to show here. */
  setDocumentEdited(): void {
    return undefined
  }
  maximize(): void {
    this.maximized = true
    this.emit('maximize')
  }
  unmaximize(): void {
    this.maximized = false
  }
  isMaximized(): boolean {
    return this.maximized
  }
  minimize(): void {
    this.minimized = true
  }
  isMinimized(): boolean {
    return this.minimized
  }
  restore(): void {
    this.minimized = false
  }
  getBounds(): Bounds {
    return { ...this.bounds }
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds }
  }
  setBounds(bounds: Partial<Bounds>): void {
    Object.assign(this.bounds, bounds)
    void this.webContents.setSize({ width: this.bounds.width, height: this.bounds.height })
    this.emit('resize')
    this.emit('move')
  }
  isDestroyed(): boolean {
    return this.destroyed
  }

  /** As a click on the title bar's close button: 'close' may be prevented; otherwise the window goes. */
  close(): void {
    if (this.destroyed || this.closing) return
    const event = electronEvent()
    this.emit('close', event)
    if (event.defaultPrevented) return
    this.closing = true
    void this.destroyNow()
  }
  destroy(): void {
    if (!this.destroyed) void this.destroyNow()
  }

  private async destroyNow(): Promise<void> {
    this.destroyed = true
    windows.splice(windows.indexOf(this), 1)
    if (focused === this) focused = windows.at(-1) ?? null
    await this.webContents.destroy()
    this.emit('closed')
    host.windowClosed(windows.length)
  }
}
