import { BrowserWindow, screen, type Session } from 'electron'
import { fitToDisplays, type WindowState } from './window-state'
import { APP_ENTRY, isAppUrl, webPreferences } from './security'

export interface MainWindowOptions {
  state: WindowState
  /** Called as the window closes, with the size and place to remember. */
  saveState(state: WindowState): void
  preload: string
  devServerUrl?: string
  icon?: string
}

/** Denies everything a page could ask the session for: camera, notifications, clipboard, … */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

/** The one main window: hardened, and its size and place remembered. */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const state = fitToDisplays(
    o.state,
    screen.getAllDisplays().map((d) => d.workArea)
  )
  // Electronegativity cannot follow the call to webPreferences() below, so it reports these three;
  // tests/main/security.test.ts checks the values that function returns.
  // electronegativity-accept CONTEXT_ISOLATION_JS_CHECK: contextIsolation is true (security.ts webPreferences).
  // electronegativity-accept SANDBOX_JS_CHECK: sandbox is true (security.ts webPreferences).
  // electronegativity-accept AUXCLICK_JS_CHECK: disableBlinkFeatures is 'Auxclick' (security.ts webPreferences).
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 480,
    show: false,
    icon: o.icon,
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(o.preload),
  })
  if (state.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  // The app never navigates and never opens windows or external links.
  const contents = win.webContents
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, o.devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))

  win.on('close', () => {
    const bounds = win.getNormalBounds()
    o.saveState({ ...bounds, maximized: win.isMaximized() })
  })

  void win.loadURL(o.devServerUrl ?? APP_ENTRY)
  return win
}
