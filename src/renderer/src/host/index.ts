import { createBrowserHost } from './browser-host'
import { createElectronHost } from './electron-host'
import type { Host } from './host'

/**
 * The one place the renderer gets its Host from: Electron's when the preload exposed `window.api`,
 * the browser edition's otherwise. Tests call `setHost` with their own.
 */
let current: Host | null = null

export function setHost(host: Host): void {
  current = host
}

export function useHost(): Host {
  current ??= window.api ? createElectronHost(window.api) : createBrowserHost()
  return current
}
