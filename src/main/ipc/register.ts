import { basename } from 'node:path'
import type { WebContents } from 'electron'
import { isOpenablePath } from '../file-args'
import type { ExportRequest, OpenedFile, RecentFile, SavedFile } from '../../shared/ipc'
import type { TrainingPool } from '../../shared/training/pool'
import type { ExportRunner } from '../../node/export/runner'
import { emit, handle, listen, type SenderCheck } from './handle'

/** What the IPC handlers need: services, dialogs and the window, injected so that tests can give them. */
export interface IpcDeps {
  trusted: SenderCheck
  contents(): WebContents | null
  runner: TrainingPool
  files: {
    read(path: string): Promise<OpenedFile & { path: string }>
    save(path: string, text: string): Promise<unknown>
    recent(): Promise<RecentFile[]>
    addRecent(path: string): Promise<void>
  }
  autosave: { write(text: string): Promise<void>; take(): Promise<string | null> }
  /** Runs an export off the main thread (src/node/export/runner.ts). */
  exporter: ExportRunner
  dialogs: {
    open(): Promise<string | null>
    save(suggestedName: string, kind: 'experiment' | 'xlsx' | 'csv'): Promise<string | null>
  }
  document: { setState(state: { title: string; name: string; dirty: boolean }): void; saveFinished(saved: boolean): void }
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

/** The chart arrives as a PNG data URL (the schema checked its prefix). */
export function pngFromDataUrl(url: string): Uint8Array {
  return new Uint8Array(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'))
}

/** Every handler of the contract, and the training events going back. */
export function registerIpc(deps: IpcDeps, granted = new GrantedPaths()): () => void {
  const { trusted, files, dialogs } = deps
  let exportAbort: AbortController | null = null

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
  handle(trusted, 'experiment', 'save', async ({ text, path, suggestedName }): Promise<SavedFile | null> => {
    let saved = false
    try {
      const target = path !== null && granted.has(path) ? path : await dialogs.save(suggestedName, 'experiment')
      if (!target) return null
      await files.save(target, text)
      granted.grant(target)
      await files.addRecent(target)
      saved = true
      return { name: basename(target), path: target }
    } finally {
      deps.document.saveFinished(saved)
    }
  })

  // One export at a time: a new one cancels the one before. Cancel answers null, like a closed dialog.
  const exportAs = (kind: 'xlsx' | 'csv') => async (request: ExportRequest): Promise<SavedFile | null> => {
    const path = await dialogs.save(request.suggestedName, kind)
    if (!path) return null
    exportAbort?.abort()
    const abort = (exportAbort = new AbortController())
    const chartPng = kind === 'xlsx' && request.chartPng ? pngFromDataUrl(request.chartPng) : undefined
    try {
      await deps.exporter(
        { kind, documentText: request.documentText, chartPng, path },
        { signal: abort.signal, onProgress: (fraction) => emit(deps.contents(), 'export', 'progress', fraction) }
      )
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

  handle(trusted, 'autosave', 'write', async ({ text }) => deps.autosave.write(text))
  handle(trusted, 'autosave', 'take', () => deps.autosave.take())

  const { runner } = deps
  listen(trusted, 'training', 'start', ({ runId, configs, options }) => runner.start(runId, configs, options))
  listen(trusted, 'training', 'pause', ({ runId }) => runner.pause(runId))
  listen(trusted, 'training', 'resume', ({ runId }) => runner.resume(runId))
  listen(trusted, 'training', 'step', ({ runId, epochs }) => runner.step(runId, epochs))
  listen(trusted, 'training', 'stop', ({ runId }) => runner.stop(runId))
  const unsubscribe = runner.onEvent((event) => emit(deps.contents(), 'training', 'event', event))

  listen(trusted, 'document', 'state', (state) => deps.document.setState(state))
  return unsubscribe
}
