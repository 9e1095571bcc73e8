import { EventEmitter } from 'node:events'
import { strict } from './shared'

type Handler = (event: unknown, ...args: unknown[]) => unknown

/** ipcMain: an EventEmitter for send(), plus handle() for invoke(), as in Electron. */
class IpcMain extends EventEmitter {
  private readonly handlers = new Map<string, Handler>()

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }
  handleOnce(channel: string, handler: Handler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel)
      return handler(event, ...args)
    })
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** An invoke from a renderer: the handler's value, or Electron's message for its error. */
  async invoke(channel: string, event: unknown, args: unknown[]): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    const handler = this.handlers.get(channel)
    try {
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      return { ok: true, value: await handler(event, ...args) }
    } catch (error) {
      // Electron sends only `${error}` (e.g. "Error: message") and the renderer prefixes it.
      return { ok: false, message: `Error invoking remote method '${channel}': ${String(error)}` }
    }
  }
}

export const ipcMain = new IpcMain()
export const strictIpcMain = strict('ipcMain.', ipcMain)
