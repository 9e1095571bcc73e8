import ExcelJS from 'exceljs'
import { chartDisplaySize } from '@shared/xlsx/chart-size'
import { csvChunks } from '@shared/export/csv'
import { abortError, prepareExport, TRAIN_SHARE } from '@shared/export/input'
import { fillRow, workbookSpec, type WorkbookOptions } from '@shared/xlsx/workbook'

/**
 * The browser edition's export: the same workbook as the desktop app's (src/shared/xlsx), built
 * with exceljs's in-memory workbook, which can place the chart image directly. Bundles with Vite
 * through exceljs's "browser" entry (dist/exceljs.min.js). Memory grows with the run, so very long
 * runs are better exported from the desktop app.
 */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Lets the page repaint (progress bar) while a long workbook is built. */
const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** The workbook of a document, given as its text as Save writes it (any format version); throws `Cannot export: …` on an invalid one. */
export async function buildXlsx(
  documentText: string,
  chartPng?: Uint8Array,
  onProgress?: (fraction: number) => void,
  options?: WorkbookOptions,
  signal?: AbortSignal
): Promise<Blob> {
  // Each run is trained once, then written.
  const share = TRAIN_SHARE.xlsx
  const input = await prepareExport(documentText, { signal, onProgress: (f) => onProgress?.(f * share) })
  const spec = workbookSpec(input, options)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Backprop Lab'
  let done = 0
  for (const sheet of spec.sheets) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: sheet.frozenRows, topLeftCell: `A${sheet.frozenRows + 1}` }] })
    ws.columns = sheet.widths.map((width) => ({ width }))
    for (const n of sheet.names) ws.getCell(n.row, n.col + 1).name = n.name
    for (const row of sheet.rows()) {
      fillRow(ws.getRow(row.r), row)
      if (++done % 2000 === 0) {
        onProgress?.(share + (1 - share) * (done / spec.totalRows))
        await yieldToPage()
        if (signal?.aborted) throw abortError()
      }
    }
    if (sheet.chartAt && chartPng) {
      const id = wb.addImage({ buffer: chartPng as unknown as ExcelJS.Buffer, extension: 'png' })
      ws.addImage(id, { tl: { col: sheet.chartAt.col, row: sheet.chartAt.row }, ext: chartDisplaySize(chartPng), editAs: 'oneCell' })
    }
  }
  const buffer = await wb.xlsx.writeBuffer()
  onProgress?.(1)
  return new Blob([buffer], { type: XLSX_TYPE })
}

/** The epoch table of a document (its text as saved) as CSV, each run trained once. */
export async function buildCsv(documentText: string, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Blob> {
  const { runs } = await prepareExport(documentText, { signal, onProgress: (f) => onProgress?.(f * TRAIN_SHARE.csv) })
  const blob = new Blob([...csvChunks(runs)], { type: 'text/csv;charset=utf-8' })
  onProgress?.(1)
  return blob
}
