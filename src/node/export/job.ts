import { experimentToExport, trainForExport, TRAIN_SHARE } from '../../shared/export/input'
import type { Experiment } from '../../shared/experiment'
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

export interface ExportJobOptions {
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
  /** The job's experiment when the caller has read it already (experimentToExport of its text). */
  experiment?: Experiment
}

export async function runExportJob(job: ExportJob, options: ExportJobOptions = {}): Promise<void> {
  const { onProgress, signal } = options
  const share = TRAIN_SHARE[job.kind]
  const experiment = options.experiment ?? experimentToExport(job.documentText)
  const input = await trainForExport(experiment, { signal, onProgress: (f) => onProgress?.(f * share) })
  const writing = (f: number): void => onProgress?.(share + f * (1 - share))
  if (job.kind === 'xlsx') await exportXlsx({ input, chartPng: job.chartPng, path: job.path, signal, onProgress: writing })
  else await exportCsv({ runs: input.runs, path: job.path, signal, onProgress: writing })
}
