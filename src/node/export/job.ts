import { prepareExport, TRAIN_SHARE } from '../../shared/export/input'
import { exportCsv } from './csv'
import { exportXlsx } from './xlsx'

/**
 * One export as the desktop app asks for it: the document's text as Save writes it (the worker
 * cannot see the window's runs), trained once here and written. Runs in the export worker thread
 * (worker.ts), never on the Electron main thread.
 */
export interface ExportJob {
  kind: 'xlsx' | 'csv'
  documentText: string
  /** The loss chart (xlsx only). */
  chartPng?: Uint8Array
  path: string
}

export async function runExportJob(job: ExportJob, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<void> {
  const { onProgress, signal } = options
  const share = TRAIN_SHARE[job.kind]
  const input = await prepareExport(job.documentText, { signal, onProgress: (f) => onProgress?.(f * share) })
  const writing = (f: number): void => onProgress?.(share + f * (1 - share))
  if (job.kind === 'xlsx') await exportXlsx({ input, chartPng: job.chartPng, path: job.path, signal, onProgress: writing })
  else await exportCsv({ runs: input.runs, path: job.path, signal, onProgress: writing })
}
