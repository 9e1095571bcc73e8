import { once } from 'node:events'
import ExcelJS from 'exceljs'
import { abortError, type ExportInput } from '../../shared/export/input'
import { columnLetter } from '../../shared/xlsx/expr'
import { STYLES, STYLE_KEYS, type StyleKey } from '../../shared/xlsx/styles'
import { fillRow, workbookSpec, type RowSpec, type WorkbookOptions } from '../../shared/xlsx/workbook'
import { embedChart } from './xlsx-chart'
import { openPartial } from './partial-file'
import type { SheetStream, WorkbookWriterInternals, WorksheetWriterInternals } from './xlsx-internals'

/**
 * Writes the workbook of trained runs (src/shared/xlsx/workbook.ts) with exceljs's streaming writer.
 * Memory beyond the runs' tables stays bounded: rows are generated as they are written, as sheet XML
 * straight into the sheet's stream, and the writer waits whenever the compressor falls behind.
 * The file appears under its name only when complete; on cancel or error the partial file is removed.
 */
export interface ExportXlsxOptions {
  /** The experiment and its runs, trained (see ExportInput); read, not trained again. */
  input: ExportInput
  /** The loss chart, placed on the Summary sheet. */
  chartPng?: Uint8Array
  path: string
  /** Fraction done, 0..1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
  /** Formula mode and limits (see WorkbookOptions); the defaults are what the app uses. */
  workbook?: WorkbookOptions
}

/** Rows written between checks of the compressor, the cancel signal and the progress. */
const ROWS_PER_CHECK = 256
/** Uncompressed sheet XML allowed to wait for the compressor. */
const MAX_PENDING_BYTES = 4 << 20
const STREAM_BUF_CHUNK = 65536
const NUMBER_TYPE = 2 // exceljs ValueType.Number

const escapeXml = (s: string): string => (/[&<>"]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : s)

/** Column letters, cached: the row writer asks for them for every cell. */
const letters: string[] = []
const letter = (i: number): string => (letters[i] ??= columnLetter(i))

function rowXml(row: RowSpec, styleAttr: Record<StyleKey, string>): string {
  const r = row.r
  let xml = `<row r="${r}">`
  const cells = row.cells
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]
    if (!c) continue
    const head = `<c r="${letter(i)}${r}"${styleAttr[c.s]}`
    if (typeof c.v === 'string') xml += `${head} t="inlineStr"><is><t xml:space="preserve">${escapeXml(c.v)}</t></is></c>`
    else if (c.f) xml += `${head}><f>${escapeXml(c.f)}</f><v>${c.v}</v></c>`
    else xml += `${head}><v>${c.v}</v></c>`
  }
  return xml + '</row>'
}

/** Writes a row through exceljs itself: the first row of a sheet, which opens its sheetData. */
function commitRow(ws: WorksheetWriterInternals, row: RowSpec): void {
  const r = ws.getRow(row.r)
  fillRow(r, row)
  r.commit()
}

/** Waits while too much of the sheet's XML waits for the compressor. */
async function backpressure(stream: SheetStream, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw abortError()
    const sink = stream.pipes[0]
    if (sink) {
      if (sink._writableState.length <= MAX_PENDING_BYTES) return
      await once(sink as unknown as NodeJS.EventEmitter, 'drain', { signal })
    } else {
      // The archive has not started this sheet yet: it is still finishing the previous one.
      if (stream.buffers.length * STREAM_BUF_CHUNK <= MAX_PENDING_BYTES) return
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

export async function exportXlsx(options: ExportXlsxOptions): Promise<void> {
  const { path, signal, onProgress, chartPng } = options
  if (signal?.aborted) throw abortError()
  const spec = workbookSpec(options.input, options.workbook)
  const file = await openPartial(path)
  // Level 1 compresses a sheet of numbers almost as well as the default and twice as fast.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file.stream, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } }) as WorkbookWriterInternals
  const styleAttr = Object.fromEntries(
    STYLE_KEYS.map((k) => {
      const id = wb.styles.addStyleModel(STYLES[k], NUMBER_TYPE)
      return [k, id ? ` s="${id}"` : '']
    })
  ) as Record<StyleKey, string>
  let done = 0
  try {
    for (const sheet of spec.sheets) {
      const ws = wb.addWorksheet(sheet.name, {
        views: [{ state: 'frozen', xSplit: 0, ySplit: sheet.frozenRows, topLeftCell: `A${sheet.frozenRows + 1}` }],
      }) as unknown as WorksheetWriterInternals
      ws.columns = sheet.widths.map((width) => ({ width }))
      for (const n of sheet.names) {
        const address = `${columnLetter(n.col)}${n.row}`
        ;(wb.definedNames as unknown as { addEx(loc: object, name: string): void }).addEx({ sheetName: sheet.name, address, row: n.row, col: n.col + 1 }, n.name)
      }
      let first = true
      let sinceCheck = 0
      let xml = '' // rows are handed to the stream in batches: one write per ROWS_PER_CHECK rows
      for (const row of sheet.rows()) {
        if (first) commitRow(ws, row)
        else xml += rowXml(row, styleAttr)
        first = false
        done++
        if (++sinceCheck === ROWS_PER_CHECK) {
          ws.stream.write(xml)
          xml = ''
          sinceCheck = 0
          onProgress?.(done / spec.totalRows)
          await backpressure(ws.stream, signal)
        }
      }
      if (xml) ws.stream.write(xml)
      if (sheet.chartAt && chartPng) embedChart(wb, ws, chartPng, sheet.chartAt)
      const zipped = new Promise<void>((resolve) => ws.stream.once('zipped', resolve))
      ws.commit()
      await zipped
      if (signal?.aborted) throw abortError()
    }
    await wb.commit()
    await file.commit()
    onProgress?.(1)
  } catch (e) {
    wb.zip.on('error', () => {})
    wb.zip.abort()
    await file.discard()
    throw e
  }
}
