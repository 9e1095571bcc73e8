import type { Api } from '../../../preload/api'
import { jobOf } from '@shared/training/job'
import type { Host } from './host'

/** The desktop app's Host: everything goes through the preload's window.api to the main process. */
export function createElectronHost(api: Api): Host {
  // Plain data only crosses IPC: a Vue proxy cannot be cloned, and a run config is plain JSON.
  const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
  // Main runs one export at a time and sends its progress while it runs.
  const withProgress = async <T>(onProgress: ((fraction: number) => void) | undefined, run: () => Promise<T>): Promise<T> => {
    const off = onProgress ? api.export.onProgress(onProgress) : null
    try {
      return await readable(run())
    } finally {
      off?.()
    }
  }
  return {
    kind: 'electron',

    train: (runId, configs, options) => readable(api.training.start(runId, plain(jobOf(configs)), { ...options })),
    pause: (runId) => api.training.pause(runId),
    resume: (runId) => api.training.resume(runId),
    step: (runId, epochs) => api.training.step(runId, epochs),
    stop: (runId) => api.training.stop(runId),
    pace: (runId, epochsPerSecond) => api.training.pace(runId, epochsPerSecond),
    onTraining: (listener) => api.training.onEvent(listener),
    onRefused: (listener) => api.training.onRefused(listener),

    openExperiment: () => readable(api.experiment.open()),
    openRecent: (path) => readable(api.experiment.openRecent(path)),
    openSpreadsheet: () => readable(api.spreadsheet.open()),
    openDropped: (file) => readable(api.experiment.openDropped(file)),
    recentFiles: () => readable(api.experiment.recent()),
    // The stamp may come from a reactive store (a recovered document): sent as a plain copy of its three fields.
    saveExperiment: (text, path, suggestedName, base) =>
      readable(api.experiment.save(text, path, suggestedName, base ? { size: base.size, mtimeMs: base.mtimeMs, sha256: base.sha256 } : null)),
    exportXlsx: (request, onProgress) => withProgress(onProgress, () => api.export.xlsx(plain(request))),
    exportCsv: (request, onProgress) => withProgress(onProgress, () => api.export.csv(plain(request))),
    cancelExport: () => api.export.cancel(),

    setDocumentState: (state) => api.document.setState({ title: state.title, name: state.name, dirty: state.dirty }),
    setTheme: (theme) => api.view.setTheme(theme),
    onTheme: (listener) => api.view.onTheme(listener),
    onMenuCommand: (listener) => api.menu.onCommand(listener),
    onFileOpened: (listener) => api.file.onOpened(listener),

    autosave: (text) => readable(api.autosave.write(text)),
    takeRecovery: () => readable(api.autosave.take()),
    discardRecovery: (id) => readable(api.autosave.discard(id)),
  }
}

/** Electron prefixes a handler's error with "Error invoking remote method '…': Error: "; the user needs only the message. */
export function readableMessage(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '')
}

async function readable<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise
  } catch (e) {
    throw new Error(readableMessage(e instanceof Error ? e.message : String(e)))
  }
}
