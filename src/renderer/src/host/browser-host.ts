import { DOCUMENT_EXTENSION } from '@shared/document/schema'
import { TrainingPool, type WorkerFactory, type WorkerLike } from '@shared/training/pool'
import type { TrainingEvent } from '@shared/training/protocol'
import { SPREADSHEET_MAX_BYTES } from '@shared/check/zip-precheck'
import { jobOf, jobRuns } from '@shared/training/job'
import { downloadBlob } from '../document/download'
import type { ExportRequest, Host, MenuCommand, OpenedFile, OpenedSpreadsheet, RecentFile, RecoveryCopy, SavedFile } from './host'

/**
 * The web edition's host: training in Web Workers (the shared session behind a TrainingPool),
 * files through the browser's pickers and downloads, recent files and autosave in localStorage,
 * the workbook written in the page (loaded on first export), and Ctrl/Cmd+N/O/S/E standing in
 * for the desktop menu's accelerators.
 */

const RECENT_KEY = 'backprop-lab.recent'
const AUTOSAVE_KEY = 'backprop-lab.autosave'
const MAX_RECENT = 8
/** A recent file keeps its text (the browser cannot reopen a path); big files are not kept. */
const MAX_RECENT_CHARS = 200_000

interface StoredRecent {
  name: string
  text: string
}

const webWorkerFactory: WorkerFactory = (onEvent, onFailure) => {
  const worker = new Worker(new URL('../workers/training.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = (e: MessageEvent<TrainingEvent>) => onEvent(e.data)
  worker.onerror = (e) => {
    e.preventDefault()
    onFailure(e.message || 'worker error')
  }
  worker.onmessageerror = () => onFailure('a message could not be read')
  return {
    post: (command, transfer) => worker.postMessage(command, transfer ?? []),
    terminate: () => worker.terminate(),
  } satisfies WorkerLike
}

/** Pool size: every learning rate of a comparison trains at once (so Step and Pause reach them all). */
export function poolSize(cores: number | undefined): number {
  return Math.max(cores || 2, 8)
}

/** When a recovery copy was written, for picking the newest; '' when it cannot be read. */
function savedAtOf(text: string): string {
  try {
    const savedAt = (JSON.parse(text) as { savedAt?: unknown } | null)?.savedAt
    return typeof savedAt === 'string' ? savedAt : ''
  } catch {
    return ''
  }
}

function readRecent(storage: Storage): StoredRecent[] {
  try {
    const list = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]') as unknown
    return Array.isArray(list) ? list.filter((r): r is StoredRecent => typeof r?.name === 'string' && typeof r?.text === 'string') : []
  } catch {
    return []
  }
}

function remember(storage: Storage, name: string, text: string): void {
  if (text.length > MAX_RECENT_CHARS) return
  const list = [{ name, text }, ...readRecent(storage).filter((r) => r.name !== name)].slice(0, MAX_RECENT)
  try {
    storage.setItem(RECENT_KEY, JSON.stringify(list))
  } catch {
    // Storage full: recent files are a convenience, not worth failing an open or save for.
  }
}

interface PickerWindow {
  showOpenFilePicker?: (options: object) => Promise<{ getFile(): Promise<File> }[]>
  showSaveFilePicker?: (
    options: object
  ) => Promise<{ name?: string; createWritable(): Promise<{ write(data: Blob | string): Promise<void>; close(): Promise<void> }> }>
}

/**
 * Documents are saved as `.bplab` (JSON inside); Open also takes `.json`, the extension of
 * version-1 files (docs/experiment-format.md).
 */
const OPEN_TYPES = [{ description: 'Backprop Lab experiment', accept: { 'application/json': [DOCUMENT_EXTENSION, '.json'] } }]
const SAVE_TYPES = [{ description: 'Backprop Lab experiment', accept: { 'application/json': [DOCUMENT_EXTENSION] } }]

/** A closed file picker (a DOMException) or a cancelled export (src/shared/export/input.ts). */
function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError'
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const XLSX_TYPES = [{ description: 'Excel workbook', accept: { [XLSX_MIME]: ['.xlsx'] } }]

/**
 * The <input type=file> whose picker is open. Held here because nothing else holds a detached
 * input: the garbage collector could take it while the picker is open, and then its `change`
 * never fires and Open does nothing (tests/e2e/app.e2e.test.ts forces a collection to show it).
 */
let openInput: HTMLInputElement | null = null

/** <input type=file> fallback; resolves null when the user cancels. */
function pickWithInput(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    const settle = (file: File | null): void => {
      if (openInput === input) openInput = null
      resolve(file)
    }
    input.addEventListener('change', () => settle(input.files?.[0] ?? null))
    input.addEventListener('cancel', () => settle(null))
    openInput = input
    input.click()
  })
}

/** The browser's open picker where there is one, else an <input type=file>; null when the user cancels. */
async function pickFile(types: object[], accept: string): Promise<File | null> {
  const picker = (window as unknown as PickerWindow).showOpenFilePicker
  if (!picker) return pickWithInput(accept)
  try {
    const [handle] = await picker({ types, multiple: false })
    return await handle.getFile()
  } catch (e) {
    if (isAbort(e)) return null
    throw e
  }
}

async function saveBlob(blob: Blob, suggestedName: string, types: object[]): Promise<SavedFile | null> {
  const picker = (window as unknown as PickerWindow).showSaveFilePicker
  if (picker) {
    try {
      const handle = await picker({ suggestedName, types })
      const writable = await handle.createWritable()
      await writable.write(blob)
      await writable.close()
      // The user may have named the file otherwise in the picker.
      return { name: handle.name || suggestedName, path: null }
    } catch (e) {
      if (isAbort(e)) return null
      throw new Error(`Could not save ${suggestedName}: ${(e as Error).message}`)
    }
  }
  downloadBlob(blob, suggestedName)
  return { name: suggestedName, path: null }
}

/** The xlsx writer (exceljs) is big: loaded on the first export, not with the page. */
const exporter = (): Promise<typeof import('../export/xlsx-browser')> => import('../export/xlsx-browser')

function dataUrlBytes(url: string | undefined): Uint8Array | undefined {
  if (!url) return undefined
  const binary = atob(url.slice(url.indexOf(',') + 1))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A cancelled export answers null, like a closed file dialog. */
async function cancellable(build: () => Promise<Blob>): Promise<Blob | null> {
  try {
    return await build()
  } catch (e) {
    if (isAbort(e)) return null
    throw e
  }
}

const withExtension = (name: string, ext: string): string => name.replace(/\.[^./\\]*$/, '') + ext

export function createBrowserHost(options: { storage?: Storage; cores?: number; factory?: WorkerFactory } = {}): Host {
  const storage = options.storage ?? window.localStorage
  const pool = new TrainingPool(options.factory ?? webWorkerFactory, poolSize(options.cores ?? navigator.hardwareConcurrency))
  const menuListeners = new Set<(command: MenuCommand) => void>()
  /** The export under way; Cancel aborts it (one at a time: a new one cancels the older). */
  let exportAbort: AbortController | null = null
  const startExport = (): AbortSignal => {
    exportAbort?.abort()
    exportAbort = new AbortController()
    return exportAbort.signal
  }
  let dirty = false
  const ownCopy = `${AUTOSAVE_KEY}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

  window.addEventListener('beforeunload', (e) => {
    if (dirty) e.preventDefault()
  })

  // The desktop menu's accelerators, for the web edition.
  window.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return
    const key = e.key.toLowerCase()
    const command: MenuCommand | null =
      key === 'n'
        ? 'new'
        : key === 'o'
          ? 'open'
          : key === 's'
            ? e.shiftKey
              ? 'save-as'
              : 'save'
            : key === 'e'
              ? e.shiftKey
                ? 'export-csv'
                : 'export-xlsx'
              : key === 'z'
                ? e.shiftKey
                  ? 'redo'
                  : 'undo'
                : key === 'y'
                  ? 'redo'
                  : null
    if (!command || ((command === 'undo' || command === 'redo') && e.target instanceof HTMLTextAreaElement)) return
    e.preventDefault()
    for (const listener of [...menuListeners]) listener(command)
  })

  return {
    kind: 'browser',

    // The checks main makes in the desktop app (engine validator, cost estimate).
    async train(runId, configs, opts) {
      const runs = jobRuns(jobOf(configs), opts.record)
      if (!runs.ok) throw new Error(`Training refused: ${runs.error}.`)
      pool.start(runId, runs.configs, opts)
    },
    pause: (runId) => pool.pause(runId),
    resume: (runId) => pool.resume(runId),
    step: (runId, epochs) => pool.step(runId, epochs),
    stop: (runId) => pool.stop(runId),
    pace: (runId, epochsPerSecond) => pool.pace(runId, epochsPerSecond),
    onTraining: (listener) => pool.onEvent(listener),

    async openExperiment(): Promise<OpenedFile | null> {
      const file = await pickFile(OPEN_TYPES, `${DOCUMENT_EXTENSION},.json,application/json`)
      if (!file) return null
      const text = await file.text()
      remember(storage, file.name, text)
      return { name: file.name, path: null, text }
    },

    async openSpreadsheet(): Promise<OpenedSpreadsheet | null> {
      const file = await pickFile(XLSX_TYPES, `.xlsx,${XLSX_MIME}`)
      if (!file) return null
      if (file.size > SPREADSHEET_MAX_BYTES)
        throw new Error(`“${file.name}” is ${Math.round(file.size / 1048576)} MB; the checker reads workbooks up to ${SPREADSHEET_MAX_BYTES / 1048576} MB.`)
      return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
    },

    async openRecent(path: string): Promise<OpenedFile> {
      const entry = readRecent(storage).find((r) => r.name === path)
      if (!entry) throw new Error(`${path} is no longer in the recent files`)
      return { name: entry.name, path: null, text: entry.text }
    },

    async recentFiles(): Promise<RecentFile[]> {
      return readRecent(storage).map((r) => ({ path: r.name, name: r.name, exists: true }))
    },

    async saveExperiment(text: string, _path: string | null, suggestedName: string): Promise<SavedFile | null> {
      const name = withExtension(suggestedName, DOCUMENT_EXTENSION)
      const saved = await saveBlob(new Blob([text], { type: 'application/json' }), name, SAVE_TYPES)
      if (saved) remember(storage, saved.name, text)
      return saved
    },

    async exportXlsx(request: ExportRequest, onProgress?: (fraction: number) => void): Promise<SavedFile | null> {
      const signal = startExport()
      const { buildXlsx } = await exporter()
      const blob = await cancellable(() => buildXlsx(request.documentText, dataUrlBytes(request.chartPng), onProgress, undefined, signal))
      if (!blob) return null
      const types = [
        { description: 'Excel workbook', accept: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'] } },
      ]
      return saveBlob(blob, withExtension(request.suggestedName, '.xlsx'), types)
    },

    cancelExport(): void {
      exportAbort?.abort()
    },

    async exportCsv(request: ExportRequest, onProgress?: (fraction: number) => void): Promise<SavedFile | null> {
      const signal = startExport()
      const types = [{ description: 'CSV', accept: { 'text/csv': ['.csv'] } }]
      const { buildCsv } = await exporter()
      const blob = await cancellable(() => buildCsv(request.documentText, onProgress, signal))
      if (!blob) return null
      return saveBlob(blob, withExtension(request.suggestedName, '.csv'), types)
    },

    setDocumentState(state): void {
      dirty = state.dirty
      // The title carries the unsaved mark already (the document store's `title`).
      document.title = `${state.title} — Backprop Lab`
    },

    setTheme(): void {
      // No shell around the page: the view store applies the theme to the page itself.
    },

    onTheme(): () => void {
      // Only the page's own select changes the theme here.
      return () => undefined
    },

    onMenuCommand(listener): () => void {
      menuListeners.add(listener)
      return () => menuListeners.delete(listener)
    },

    onFileOpened(): () => void {
      // A browser page is never handed a file by the OS.
      return () => undefined
    },

    async autosave(text: string): Promise<void> {
      try {
        if (text) storage.setItem(ownCopy, text)
        else storage.removeItem(ownCopy)
      } catch {
        // Storage full or disabled: autosave is best effort in a browser.
      }
    },

    // Each page load keeps its own copy (as the desktop app does), so discarding an earlier one
    // never removes this page's work. Another tab's copy may be offered too: the browser cannot tell
    // a closed tab from an open one.
    async takeRecovery(): Promise<RecoveryCopy | null> {
      let newest: (RecoveryCopy & { savedAt: string }) | null = null
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)
        if (key === null || key === ownCopy || !(key === AUTOSAVE_KEY || key.startsWith(`${AUTOSAVE_KEY}.`))) continue
        const text = storage.getItem(key) ?? ''
        const savedAt = savedAtOf(text)
        if (text && (!newest || savedAt > newest.savedAt)) newest = { id: key, text, savedAt }
      }
      return newest && { id: newest.id, text: newest.text }
    },

    async discardRecovery(id: string): Promise<void> {
      if (id !== ownCopy && (id === AUTOSAVE_KEY || id.startsWith(`${AUTOSAVE_KEY}.`))) storage.removeItem(id)
    },
  }
}
