import { once } from 'node:events'
import { csvChunks } from '../../shared/export/csv'
import { abortError, type TrainedRun } from '../../shared/export/input'
import { openPartial } from './partial-file'

/**
 * Writes the epoch table as CSV (format: src/shared/export/csv.ts — one file; with several learning
 * rates every row starts with its run and η). Streams a chunk of epochs at a time and waits for
 * the disk; the file appears under its name only when complete.
 */
export interface ExportCsvOptions {
  /** The runs, trained (see ExportInput); read, not trained again. */
  runs: readonly TrainedRun[]
  path: string
  /** Fraction written, 0..1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export async function exportCsv(options: ExportCsvOptions): Promise<void> {
  const { path, signal, onProgress, runs } = options
  if (signal?.aborted) throw abortError()
  const total = runs.reduce((n, r) => n + r.table.rowCount, 0)
  const chunks = csvChunks(runs)
  const header = chunks.next() // checks the runs before any file is made
  const file = await openPartial(path)
  let written = 0
  try {
    for (let c = header; !c.done; c = chunks.next()) {
      const chunk = c.value
      if (signal?.aborted) throw abortError()
      if (!file.stream.write(chunk)) await once(file.stream, 'drain', { signal })
      if (c !== header) written += countLines(chunk)
      onProgress?.(total ? written / total : 1)
    }
    file.stream.end()
    await once(file.stream, 'finish')
    await file.commit()
  } catch (e) {
    await file.discard()
    throw e
  }
}

function countLines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}
