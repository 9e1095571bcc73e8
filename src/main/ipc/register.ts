import { basename } from 'node:path'
import type { WebContents } from 'electron'
import { isOpenablePath } from '../file-args'
import { changedSince } from '../../shared/file-stamp'
import type { ExportRequest, FileStamp, OpenedFile, OpenedSpreadsheet, RecentFile, RecoveryCopy, ReloadedInstead, SaveConflictChoice, SavedFile, Theme } from '../../shared/ipc'
import type { TrainingPool } from '../../shared/training/pool'
import type { ExportRunner } from '../../node/export/runner'
import { jobRuns } from '../../shared/training/job'
import { emit, handle, listen, type SenderCheck } from './handle'

/** What the IPC handlers need: services, dialogs and the window, injected so that tests can give them. */
export interface IpcDeps {
  trusted: SenderCheck
  contents(): WebContents | null
  runner: TrainingPool
  files: {
    read(path: string): Promise<OpenedFile & { path: string }>
    save(path: string, text: string): Promise<{ stamp: FileStamp }>
    /** The file's stamp now; null when it is not there. */
    stamp(path: string): Promise<FileStamp | null>
    recent(): Promise<RecentFile[]>
    addRecent(path: string): Promise<void>
  }
  autosave: { write(text: string): Promise<void>; take(): Promise<RecoveryCopy | null>; discard(id: string): Promise<void> }
  /** Runs an export off the main thread (src/node/export/runner.ts). */
  exporter: ExportRunner
  /** Reads a workbook for the spreadsheet checker, refusing one over the size limit. */
  spreadsheets: { read(path: string): Promise<OpenedSpreadsheet> }
  dialogs: {
    open(): Promise<string | null>
    openSpreadsheet(): Promise<string | null>
    save(suggestedName: string, kind: 'experiment' | 'xlsx' | 'csv'): Promise<string | null>
    /** Save found the file changed by another program since the window read or wrote it. */
    askSaveConflict(name: string): Promise<SaveConflictChoice>
  }
  document: { setState(state: { title: string; name: string; dirty: boolean }): void; saveFinished(saved: boolean): void }
  /** The page's theme setting (see ThemeSetting). */
  view: { setTheme(theme: Theme): void }
}

/**
 * Paths the renderer may write to: only those the user picked in a dialog or opened. A renderer
 * cannot name an arbitrary path on disk for the main process to overwrite.
 */
export class GrantedPaths {
  private readonly paths = new Set<string>()
  grant(path: string): void {
    this.paths.add(path)
  }
  has(path: string): boolean {
    return this.paths.has(path)
  }
}

/** The document path a recovery copy names, read without trusting the rest of it. */
function recoveryPath(text: string): string | null {
  try {
    const path = (JSON.parse(text) as { path?: unknown } | null)?.path
    return typeof path === 'string' && path.length > 0 && path.length <= 4096 ? path : null
  } catch {
    return null
  }
}

/** The chart arrives as a PNG data URL (the schema checked its prefix). */
export function pngFromDataUrl(url: string): Uint8Array {
  return new Uint8Array(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'))
}

/** Every handler of the contract, and the training events going back. */
export function registerIpc(deps: IpcDeps, granted = new GrantedPaths()): () => void {
  const { trusted, files, dialogs } = deps
  let exportAbort: AbortController | null = null
  /** The export under way (settled when its worker has ended and its temp file is gone). */
  let exportRunning: Promise<unknown> = Promise.resolve()

  const opened = async (path: string): Promise<OpenedFile> => {
    const file = await files.read(path)
    granted.grant(file.path)
    await files.addRecent(file.path)
    return file
  }

  handle(trusted, 'experiment', 'open', async () => {
    const path = await dialogs.open()
    return path ? opened(path) : null
  })
  handle(trusted, 'experiment', 'openRecent', async ({ path }) => {
    const known = (await files.recent()).some((r) => r.path === path)
    if (!known) throw new Error('That file is not in the recent files list.')
    return opened(path)
  })
  // A file dropped on the window: the preload read its path from the dropped File.
  handle(trusted, 'experiment', 'openPath', async ({ path }) => {
    if (!isOpenablePath(path)) throw new Error('Only a .bplab or .json file, named by its full path, can be opened.')
    return opened(path)
  })
  handle(trusted, 'experiment', 'recent', () => files.recent())
  handle(trusted, 'experiment', 'save', async ({ text, path, suggestedName, base }): Promise<SavedFile | ReloadedInstead | null> => {
    let saved = false
    try {
      let target = path !== null && granted.has(path) ? path : await dialogs.save(suggestedName, 'experiment')
      if (!target) return null
      // Saving back to the document's own file: another program may have changed it since the window
      // read or wrote it. (A path picked in the Save dialog was confirmed there.)
      if (target === path && changedSince(base ?? null, await files.stamp(target))) {
        const choice = await dialogs.askSaveConflict(basename(target))
        if (choice === 'cancel') return null
        if (choice === 'reload') return { reloaded: await opened(target) }
        if (choice === 'save-as') target = await dialogs.save(suggestedName, 'experiment')
        if (!target) return null
      }
      const { stamp } = await files.save(target, text)
      granted.grant(target)
      await files.addRecent(target)
      saved = true
      return { name: basename(target), path: target, stamp }
    } finally {
      deps.document.saveFinished(saved)
    }
  })

  // One export at a time: a new one cancels the one before and starts once it has ended (so a
  // cancelled export's cleanup never meets the next one's file). Cancel answers null, like a closed dialog.
  const exportAs = (kind: 'xlsx' | 'csv') => async (request: ExportRequest): Promise<SavedFile | null> => {
    const path = await dialogs.save(request.suggestedName, kind)
    if (!path) return null
    exportAbort?.abort()
    const abort = (exportAbort = new AbortController())
    const chartPng = kind === 'xlsx' && request.chartPng ? pngFromDataUrl(request.chartPng) : undefined
    const run = exportRunning.then(() =>
      deps.exporter(
        { kind, documentText: request.documentText, chartPng, path },
        { signal: abort.signal, onProgress: (fraction) => emit(deps.contents(), 'export', 'progress', fraction) }
      )
    )
    exportRunning = run.catch(() => undefined)
    try {
      await run
    } catch (e) {
      if ((e as Error).name === 'AbortError') return null
      throw e
    } finally {
      if (exportAbort === abort) exportAbort = null
    }
    return { name: basename(path), path }
  }
  handle(trusted, 'export', 'xlsx', exportAs('xlsx'))
  handle(trusted, 'export', 'csv', exportAs('csv'))
  listen(trusted, 'export', 'cancel', () => exportAbort?.abort())

  // The checker runs in the window (as in the browser edition); the main process only picks and reads.
  handle(trusted, 'spreadsheet', 'open', async () => {
    const path = await dialogs.openSpreadsheet()
    return path ? deps.spreadsheets.read(path) : null
  })

  handle(trusted, 'autosave', 'write', async ({ text }) => deps.autosave.write(text))
  // The copy says which file its work belonged to; the window is told how that file stands now, so
  // the banner can say when it changed after the work was autosaved.
  handle(trusted, 'autosave', 'take', async () => {
    const copy = await deps.autosave.take()
    const documentPath = copy && recoveryPath(copy.text)
    return copy && { ...copy, disk: documentPath ? await files.stamp(documentPath) : null }
  })
  handle(trusted, 'autosave', 'discard', ({ id }) => deps.autosave.discard(id))

  const { runner } = deps
  handle(trusted, 'training', 'start', async ({ runId, job, options }) => {
    const runs = jobRuns(job, options.record)
    if (!runs.ok) throw new Error(`Training refused: ${runs.error}.`)
    runner.start(runId, runs.configs, options)
  })
  listen(trusted, 'training', 'pause', ({ runId }) => runner.pause(runId))
  listen(trusted, 'training', 'resume', ({ runId }) => runner.resume(runId))
  listen(trusted, 'training', 'step', ({ runId, epochs }) => runner.step(runId, epochs))
  listen(trusted, 'training', 'stop', ({ runId }) => runner.stop(runId))
  listen(trusted, 'training', 'pace', ({ runId, epochsPerSecond }) => runner.pace(runId, epochsPerSecond))
  const unsubscribe = runner.onEvent((event) => emit(deps.contents(), 'training', 'event', event))

  listen(trusted, 'document', 'state', (state) => deps.document.setState(state))
  listen(trusted, 'view', 'theme', ({ theme }) => deps.view.setTheme(theme))
  return unsubscribe
}
