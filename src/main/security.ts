import type { WebPreferences } from 'electron'

/**
 * The window's security settings, kept out of the glue so tests can check them. Electron's
 * defaults are already safe for most of these; they are spelt out so that no upgrade or
 * refactor can quietly change them.
 */
export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click would open links in a new window (denied anyway; this stops the event).
    disableBlinkFeatures: 'Auxclick',
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  }
}

/** The policy itself lives in src/shared/csp.ts: the web edition's index.html carries it too. */
export { contentSecurityPolicy } from '../shared/csp'

/** The packaged renderer is served from app://bundle/ (see app-protocol.ts), never from file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * Whether `url` is one of the app's own pages: app://bundle/… when packaged, or the local dev
 * server in development. Checked for the sender of every IPC message and every navigation.
 */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    const local = dev.hostname === 'localhost' || dev.hostname === '127.0.0.1'
    return local && parsed.protocol === dev.protocol && parsed.host === dev.host
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST
}

/**
 * Whether an IPC message may be acted on: it must come from the top frame (not an iframe) of the
 * app's window, showing one of the app's own pages. `frame` is null when the frame is gone.
 */
export function isTrustedSender(
  sender: { fromAppWindow: boolean; frame: { url: string; isTop: boolean } | null },
  devServerUrl?: string
): boolean {
  return sender.fromAppWindow && !!sender.frame && sender.frame.isTop && isAppUrl(sender.frame.url, devServerUrl)
}

/**
 * The file inside `rendererDir` that an app:// request asks for, or null for anything outside it
 * (another host, `..` that escapes, an encoded separator). Directories map to their index.html.
 */
export function resolveAppFile(url: string, rendererDir: string, sep = '/'): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (path.includes('\\') || path.includes('\0')) return null
  const parts = path.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.some((p) => p === '..')) return null
  if (parts.length === 0 || path.endsWith('/')) parts.push('index.html')
  return [rendererDir.replace(/[\\/]+$/, ''), ...parts].join(sep)
}
