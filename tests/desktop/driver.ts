import type { Page } from 'playwright-core'
import type { DialogAnswer, StandInLog } from './stand-in/shared'

/**
 * What a scenario may do with the desktop app, whatever runs it: launch with arguments, click a
 * menu item, answer the next dialog, read the page, crash the renderer, close, quit. Two drivers:
 * the Electron stand-in (./stand-in-driver.ts) and Playwright's _electron on the real binary
 * (./electron-driver.ts).
 */
export interface LaunchOptions {
  args?: string[]
  /** The app's userData folder; the same folder twice is a relaunch (window state, recovery file). */
  userData: string
  cwd?: string
}

export interface WindowInfo {
  id: number
  title: string
  bounds: { x: number; y: number; width: number; height: number }
  visible: boolean
}

export interface QuitReport {
  code: number | null
  /** Worker threads main started and how they ended (the stand-in counts them; real Electron cannot). */
  workers?: { started: number; running: number; exited: number; messagesAfterQuit: number }
  sendsAfterQuit?: string[]
}

export type AppLog = Partial<StandInLog>

export interface DesktopApp {
  /** The main window's page; after a crash and reload, the page that replaced it. */
  window(): Promise<Page>
  windows(): Promise<WindowInfo[]>
  menu(...labels: string[]): Promise<void>
  /** Scripts the answer of the next dialog main shows (open, save or message box). */
  answerDialog(answer: DialogAnswer): Promise<void>
  /** Dialogs shown, error boxes, refusals: what the driver can see of main. */
  log(): Promise<AppLog>
  /** Runs `fn(electron, arg)` in the main process (Playwright's electronApp.evaluate). */
  evaluateMain<A, R>(fn: (electron: typeof import('electron'), arg: A) => R, arg: A): Promise<Awaited<R>>
  crash(): Promise<void>
  /** The window's close button. */
  close(): Promise<void>
  /** Resolves when the app process has ended (quit from the menu, or the last window closed). */
  exited(): Promise<QuitReport>
  /** Ends the process whatever its state (test cleanup). */
  kill(): Promise<void>
}

export interface Driver {
  name: string
  /** Why this driver cannot run here, or null. */
  skip: string | null
  launch(options: LaunchOptions): Promise<DesktopApp>
  /** Frees what the driver shares between launches (after the last scenario). */
  dispose?(): Promise<void>
}
