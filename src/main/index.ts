import { join } from 'node:path'
import { app, BrowserWindow, Menu, nativeTheme, session, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import type { MenuCommand } from '../shared/ipc'
import { ThemeSetting } from '../shared/theme'
import { enforceCspHeader, registerAppScheme, serveRenderer } from './app-protocol'
import { CloseGuard, settleOnQuit } from './close-guard'
import { createDialogs } from './dialogs'
import { createExportRunner } from '../node/export/runner'
import exportWorkerPath from './export-worker-path'
import { experimentFileFromArgv } from './file-args'
import { emit } from './ipc/handle'
import { GrantedPaths, registerIpc } from './ipc/register'
import { readSpreadsheet } from './services/spreadsheet-file'
import { aboutText, menuCommands, menuTemplate } from './menu-template'
import { isTrustedSender } from './security'
import { RendererWatch } from './renderer-watch'
import { Autosave, currentStamp, readExperimentFile, RecentFiles, saveExperimentFile } from './services'
import { createTrainingRunner } from './training/runner'
import workerPath from './training/worker-path'
import { createMainWindow, lockDownSession } from './window'
import { loadWindowState, saveWindowState, type WindowState } from './window-state'

/** The app's lifecycle: wiring only; every behaviour lives in the modules imported above. */
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const rendererDir = join(__dirname, '../renderer')
const preload = join(__dirname, '../preload/index.cjs')

if (app.requestSingleInstanceLock()) start()
else app.quit()

function start(): void {
  registerAppScheme()
  const userData = app.getPath('userData')
  const stateFile = join(userData, 'window-state.json')
  // The window's size and place are written as it closes; the app waits for that write before it
  // ends, or a quick quit would lose it (seen: a relaunch opening at the default size under load).
  let stateWrite: Promise<void> = Promise.resolve()
  const saveState = (state: WindowState): void => {
    stateWrite = saveWindowState(stateFile, state).catch(() => undefined)
  }
  let win: BrowserWindow | null = null
  let loaded = false
  let name = 'Untitled'
  const pendingFiles: string[] = []
  const dialogs = createDialogs(() => win)
  const recent = new RecentFiles(join(userData, 'recent-files.json'))
  const autosave = new Autosave(userData)
  const runner = createTrainingRunner(workerPath)
  const granted = new GrantedPaths()
  const theme = new ThemeSetting(
    (value) => {
      nativeTheme.themeSource = value
      void refreshMenu()
    },
    (value) => emit(win?.webContents, 'view', 'theme', value)
  )

  const sendCommand = (command: MenuCommand): void => emit(win?.webContents, 'menu', 'command', command)
  const menuCommand = menuCommands({ send: sendCommand, stopTraining: () => runner.stopCurrent() })
  const guard = new CloseGuard({
    ask: () => dialogs.askSaveChanges(name),
    requestSave: () => sendCommand('save'),
    close: () => win?.close(),
    keepWork: () => void autosave.keepForRecovery(),
  })
  const watch = new RendererWatch({
    keepWork: () => autosave.keepForRecovery(),
    // The window may have been closed while the crash was handled.
    reload: () => win && !win.isDestroyed() && win.webContents.reload(),
    killPage: () => win && !win.isDestroyed() && win.webContents.forcefullyCrashRenderer(),
    askHung: () => dialogs.askHung(),
    tellGivenUp: () =>
      dialogs.error(
        'The window keeps crashing',
        'Backprop Lab stopped reloading it. Your autosaved work is kept and offered back the next time the app starts.'
      ),
    guard,
  })

  // Only the top frame of our own window, showing one of our pages, may talk to the main process.
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame
    const fromAppWindow = !!win && !win.isDestroyed() && event.sender === win.webContents
    return isTrustedSender({ fromAppWindow, frame: frame && { url: frame.url, isTop: frame.parent === null } }, devServerUrl)
  }

  async function refreshMenu(): Promise<void> {
    const template = menuTemplate({
      platform: process.platform,
      appName: app.getName(),
      recent: await recent.list().catch(() => []),
      theme: theme.value,
      dev: !app.isPackaged,
      actions: {
        command: menuCommand,
        openRecent: (path) => void openPath(path),
        setTheme: (value) => theme.fromMenu(value),
        about: () => void dialogs.about(aboutText(app.getName(), app.getVersion(), process.versions)),
      },
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

  /** A file from the command line, the OS or the recent list, opened in the window. */
  async function openPath(path: string): Promise<void> {
    if (!win || !loaded) {
      pendingFiles.push(path)
      return
    }
    try {
      const file = await readExperimentFile(path)
      granted.grant(file.path)
      await recent.add(file.path)
      emit(win.webContents, 'file', 'opened', file)
      void refreshMenu()
    } catch (e) {
      dialogs.error('Could not open the file', e instanceof Error ? e.message : String(e))
    }
    if (win.isMinimized()) win.restore()
    win.focus()
  }

  async function createWindow(): Promise<void> {
    win = createMainWindow({ state: await loadWindowState(stateFile), saveState, preload, devServerUrl })
    loaded = false
    guard.windowOpened()
    win.webContents.on('did-finish-load', () => {
      loaded = true
      watch.loaded()
      for (const path of pendingFiles.splice(0)) void openPath(path)
    })
    // A crashed or hung page: its autosave is kept, the page reloaded and the work offered back there.
    win.webContents.on('render-process-gone', (_event, details) => {
      loaded = false
      void watch.gone(details.reason)
    })
    win.on('unresponsive', () => void watch.unresponsive())
    win.on('responsive', () => watch.responsive())
    win.on('close', (event) => {
      if (guard.shouldPreventClose()) event.preventDefault()
    })
    win.on('closed', () => {
      win = null
      // Nobody is left to see the runs (macOS keeps the app running): stop them and their threads.
      runner.reset()
    })
  }

  registerIpc(
    {
      trusted,
      contents: () => win?.webContents ?? null,
      runner,
      files: {
        read: readExperimentFile,
        save: saveExperimentFile,
        stamp: currentStamp,
        recent: () => recent.list(),
        addRecent: async (path) => {
          await recent.add(path)
          void refreshMenu()
        },
      },
      autosave,
      spreadsheets: { read: readSpreadsheet },
      exporter: createExportRunner(exportWorkerPath),
      dialogs,
      document: {
        setState: (state) => {
          // The renderer's title already carries the unsaved mark: shown as it is; the prompt names the document.
          name = state.name
          guard.setDirty(state.dirty)
          win?.setTitle(state.title)
          if (process.platform === 'darwin') win?.setDocumentEdited(state.dirty)
        },
        saveFinished: (saved) => guard.saveFinished(saved),
      },
      view: { setTheme: (value) => theme.fromPage(value) },
    },
    granted
  )

  const fromArgv = experimentFileFromArgv(process.argv, process.cwd())
  if (fromArgv) pendingFiles.push(fromArgv)
  // macOS: a double-clicked file, before or after launch.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    void openPath(path)
  })
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = experimentFileFromArgv(argv, workingDirectory)
    if (path) void openPath(path)
    else if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })

  void app.whenReady().then(async () => {
    lockDownSession(session.defaultSession)
    enforceCspHeader(session.defaultSession, !!devServerUrl)
    if (!devServerUrl) serveRenderer(session.defaultSession, rendererDir)
    await refreshMenu()
    await createWindow()
  })
  app.on('activate', () => {
    if (!win && app.isReady()) void createWindow()
  })
  // Every window closed means every change of the page running now was saved or discarded: its copy
  // goes. Copies of crashed pages and earlier sessions are not this session's to remove (see Autosave).
  app.on('window-all-closed', () => {
    void Promise.allSettled([autosave.clear(), stateWrite]).finally(() => {
      if (process.platform !== 'darwin') app.quit()
    })
  })
  // A quit from the menu emits no window-all-closed: the copy goes here when nothing is unsaved.
  const clearOnQuit = settleOnQuit({
    isClean: () => guard.isClean(),
    clear: () => autosave.clear(),
    pending: () => stateWrite,
    quit: () => app.quit(),
  })
  app.on('will-quit', (event) => {
    // Every training thread ends with the app.
    runner.dispose()
    clearOnQuit(event)
  })
}
