import { once } from 'node:events'
import { csvChunks } from '../../shared/export/csv'
import { openPartial } from './partial-file'

/**
 * Writes the epoch table as CSV (format: src/shared/export/csv.ts — one file; with several learning
 * rates every row starts with its run and η). Streams a chunk of epochs at a time and waits for
 * the disk; the file appears under its name only when complete.
 */
export interface ExportCsvOptions {
  /** The document's text as Save writes it (any format version; see ExportXlsxOptions.documentText). */
  documentText: string
  path: string
  signal?: AbortSignal
}

export async function exportCsv(options: ExportCsvOptions): Promise<void> {
  const { path, signal } = options
  const chunks = csvChunks(options.documentText)
  const header = chunks.next() // checks the document before any file is made
  const file = await openPartial(path)
  try {
    for (let c = header; !c.done; c = chunks.next()) {
      const chunk = c.value
      if (signal?.aborted) throw Object.assign(new Error('Export cancelled'), { name: 'AbortError' })
      if (!file.stream.write(chunk)) await once(file.stream, 'drain')
    }
    file.stream.end()
    await once(file.stream, 'finish')
    await file.commit()
  } catch (e) {
    await file.discard()
    throw e
  }
}
