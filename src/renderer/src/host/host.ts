import type { RunConfig } from '@shared/engine/types'
import type { ExportRequest, FileStamp, MenuCommand, OpenedFile, OpenedSpreadsheet, RecentFile, RecoveryCopy, RefusedRequest, ReloadedInstead, SavedFile, Theme } from '@shared/ipc'
import type { TrainingEvent } from '@shared/training/protocol'

// The shapes of files, exports and menu commands are defined once, with the IPC contract.
export type { ExportRequest, FileStamp, MenuCommand, OpenedFile, OpenedSpreadsheet, RecentFile, RecoveryCopy, ReloadedInstead, SavedFile, Theme }

/**
 * Everything the renderer asks of the outside world. Two implementations: the Electron host
 * (window.api, IPC to the main process) and the browser host (Web Workers, file pickers,
 * downloads). Stores reach the outside only through this, so tests can give them a host.
 */
export interface Host {
  readonly kind: 'electron' | 'browser'

  /** Resolves once the job is accepted; rejects with a readable message when it is refused. */
  train(runId: number, configs: RunConfig[], options: { record: boolean; paused?: boolean; pace?: number }): Promise<void>
  pause(runId: number): void
  resume(runId: number): void
  step(runId: number, epochs: number): void
  stop(runId: number): void
  /** Holds the job to `epochsPerSecond` epochs a second per run; 0 is full speed. */
  pace(runId: number, epochsPerSecond: number): void
  /** Every training event of every run; returns an unsubscribe function. */
  onTraining(listener: (event: TrainingEvent) => void): () => void
  /** Requests the shell refused (desktop only: the browser edition has no IPC to refuse them). */
  onRefused?(listener: (refused: RefusedRequest) => void): () => void

  /** Shows an open dialog; null when the user cancels. */
  openExperiment(): Promise<OpenedFile | null>
  openRecent(path: string): Promise<OpenedFile>
  /** Asks for a student's workbook to check (File › Check a Spreadsheet…); null when the user cancels. */
  openSpreadsheet(): Promise<OpenedSpreadsheet | null>
  /**
   * Opens a file dropped on the window from its path on disk, so that Save writes back to it and it
   * joins Open Recent (desktop only). Null when the file has no path; the caller then reads its text.
   */
  openDropped?(file: File): Promise<OpenedFile | null>
  recentFiles(): Promise<RecentFile[]>
  /**
   * Saves to `path`, or asks where when `path` is null; null when the user cancels. Rejects with a
   * readable message. `base` is what the window last read or wrote of `path`: when the file changed
   * since, the shell asks (overwrite, reload, save as); "reload" answers with the file as it is now.
   */
  saveExperiment(text: string, path: string | null, suggestedName: string, base?: FileStamp | null): Promise<SavedFile | ReloadedInstead | null>
  /** Exports; null when the user cancels (the file dialog or the export). `onProgress`: 0..1. */
  exportXlsx(request: ExportRequest, onProgress?: (fraction: number) => void): Promise<SavedFile | null>
  exportCsv(request: ExportRequest, onProgress?: (fraction: number) => void): Promise<SavedFile | null>
  /** Cancels the export under way, if any; it leaves no file behind. */
  cancelExport(): void

  /**
   * Tells the shell the window title (with the unsaved mark), the document's name (for the close
   * prompt) and whether there are unsaved changes.
   */
  setDocumentState(state: { title: string; name: string; dirty: boolean }): void
  /** Tells the shell the theme the page shows (the desktop app's menu and window follow it). */
  setTheme(theme: Theme): void
  /** A theme picked outside the page (the desktop app's menu); returns an unsubscribe function. */
  onTheme(listener: (theme: Theme) => void): () => void
  /** Menu items and OS events (a file opened from the OS arrives as an 'opened' file). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
  onFileOpened(listener: (file: OpenedFile) => void): () => void

  /** Crash recovery: keep this session's working experiment ('' clears it); offer it back after a crash. */
  autosave(text: string): Promise<void>
  /** The newest copy an earlier session (or a crashed page) left; it stays until discarded. */
  takeRecovery(): Promise<RecoveryCopy | null>
  /** Removes that copy only; this session's own copy is never touched by it. */
  discardRecovery(id: string): Promise<void>
}
