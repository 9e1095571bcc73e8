import { estimateCost, exportProblem, jobOf } from '../cost'
import { parseDocumentText } from '../document/parse'
import type { ColumnLayout } from '../engine/columns'
import { CHUNK_ROWS, type EpochTable } from '../engine/epoch-table'
import { Trainer } from '../engine/trainer'
import type { RunConfig, StopReason } from '../engine/types'
import { runConfigs, type Experiment } from '../experiment'

/**
 * What every exporter (the workbook, CSV; desktop, browser and command line) takes: the experiment
 * and its runs, trained once with every column recorded. The exporters never train: whoever hands
 * them runs trained them (the CLI as it prints its results, the desktop app's export worker and the
 * web edition from the document's text, with `trainForExport`).
 */
export interface TrainedRun {
  config: RunConfig
  layout: ColumnLayout
  /** Every epoch, every column. */
  table: EpochTable
  stopReason: StopReason
}

export interface ExportInput {
  experiment: Experiment
  runs: TrainedRun[]
}

/**
 * The experiment of a document's text exactly as Save writes it — format version 2 (`.bplab`), or
 * an older version, which is migrated — checked by the app's own validator, `parseDocumentText`.
 * Saved results are not used: they are not kept column by column.
 * Throws `Cannot export: <field>: <problem>` for anything the app could not open, and
 * `Cannot export: …` when the table is beyond what an export writes (shared/cost.ts).
 */
export function experimentToExport(documentText: string): Experiment {
  const parsed = parseDocumentText(documentText)
  if (!parsed.ok) throw new Error(`Cannot export: ${parsed.error}`)
  // The cost before the work: a table no export could finish is refused with its size.
  const tooBig = exportProblem(estimateCost(jobOf(parsed.value.experiment)))
  if (tooBig) throw new Error(`Cannot export: ${tooBig}`)
  return parsed.value.experiment
}

export interface TrainForExportOptions {
  /** Fraction of the planned epochs trained, 0..1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/**
 * Share of an export's progress bar given to training, the rest to writing. Measured here on the
 * sheet's net, 100,000 epochs: training 0.2–0.4 s, writing 15–23 s as xlsx (bench:xlsx), about
 * 5 s as CSV.
 */
export const TRAIN_SHARE = { xlsx: 0.05, csv: 0.1 } as const

export function abortError(): Error {
  return Object.assign(new Error('Export cancelled'), { name: 'AbortError' })
}

/** Lets the thread take messages (a Cancel) between chunks of training. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** Time trained between yields: short enough for a Cancel to be seen at once. */
const SLICE_MS = 20

/**
 * Trains every run of the experiment once, in slices of about SLICE_MS (an epoch of a wide net
 * with many samples can take milliseconds, of the sheet's net a quarter of a microsecond), yielding
 * between slices so that a cancel signal is seen; deterministic, so the numbers are those the
 * window showed.
 */
export async function trainForExport(experiment: Experiment, options: TrainForExportOptions = {}): Promise<ExportInput> {
  const { onProgress, signal } = options
  const configs = runConfigs(experiment)
  const planned = configs.reduce((n, c) => n + c.epochs, 0)
  let trained = 0
  const runs: TrainedRun[] = []
  for (const config of configs) {
    const trainer = new Trainer(config)
    let slice = 16
    while (!trainer.done) {
      if (signal?.aborted) throw abortError()
      const start = Date.now()
      trained += trainer.step(slice)
      const took = Date.now() - start
      if (took < SLICE_MS / 2) slice = Math.min(slice * 2, CHUNK_ROWS)
      else if (took > SLICE_MS * 2) slice = Math.max(1, slice >> 1)
      onProgress?.(Math.min(1, trained / planned))
      await yieldToEvents()
    }
    runs.push({ config, layout: trainer.layout!, table: trainer.table!, stopReason: trainer.stopReason! })
  }
  return { experiment, runs }
}

/** A document's text as saved (see experimentToExport), its runs trained once for export. */
export async function prepareExport(documentText: string, options: TrainForExportOptions = {}): Promise<ExportInput> {
  return trainForExport(experimentToExport(documentText), options)
}
