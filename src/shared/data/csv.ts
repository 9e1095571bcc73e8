/**
 * CSV import: text → a table of cells → samples from the columns the user chose as inputs and
 * targets. Parsing is papaparse's (quotes, embedded line breaks, CR/LF, delimiter detection);
 * this file only bounds the work and turns every problem into one line that names the row and
 * column. Cells stay text until a column is chosen: a "name" column nobody uses is no error.
 */
import Papa from 'papaparse'
import type { Sample } from '../engine/types'
import type { Parsed } from '../experiment'
import { quoted } from '../issue-line'
import { fileBytes, LIMITS, megabytes } from '../limits'

export interface CsvTable {
  /** A name per column: the header's, or "column N" when the first row is numbers. */
  columns: string[]
  /** Data rows (the header excluded), each with one cell per column. */
  rows: string[][]
  /** Whether the first row was a header. */
  header: boolean
  /** The delimiter found: ',', ';', '\t' or '|'. */
  delimiter: string
}

/** Which columns (0-based) become a sample's inputs and which its targets, in this order. */
export interface CsvColumns {
  inputs: number[]
  targets: number[]
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A cell as a number, or null. With ';' or tab as the delimiter a decimal comma ("1,5") is read too. */
export function cellNumber(cell: string, delimiter: string): number | null {
  let text = cell.trim()
  if (delimiter !== ',' && /^[^.]*,[^,]*$/.test(text)) text = text.replace(',', '.')
  return DECIMAL.test(text) ? Number(text) : null
}

/** A header cell as a name for menus and messages: one line (a quoted header may hold line breaks), at most 60 characters. */
const columnName = (cell: string): string => {
  const name = cell.replace(/[\s\p{Cc}]+/gu, ' ').trim()
  return name.length > 60 ? name.slice(0, 60) + '…' : name
}

/** Reads CSV text into a table. Never throws; a problem is one line. */
export function parseCsv(text: string): Parsed<CsvTable> {
  try {
    return readTable(text)
  } catch (e) {
    // Nothing above is expected to throw; if the parser does, the user still gets a sentence.
    return { ok: false, error: `file: could not be read (${e instanceof Error ? e.message : String(e)})` }
  }
}

function readTable(text: string): Parsed<CsvTable> {
  const bytes = fileBytes(text)
  if (bytes > LIMITS.maxFileBytes)
    return { ok: false, error: `file: is ${megabytes(bytes)} MB; CSV files up to ${megabytes(LIMITS.maxFileBytes)} MB can be imported` }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') return { ok: false, error: 'file: is empty' }
  // Two rows past the limit are enough to know it is passed (a header and one too many):
  // parsing stops there, so a huge file costs no more than a file at the limit.
  const result = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', preview: LIMITS.maxSamples + 2 })
  const fatal = result.errors.find((e) => e.code !== 'UndetectableDelimiter')
  if (fatal) return { ok: false, error: `row ${(fatal.row ?? 0) + 1}: ${fatal.message}` }
  const data = result.data
  // Rows of empty cells only (",,,") are skipped like blank lines: nothing may be left.
  if (data.length === 0) return { ok: false, error: 'file: has only empty cells' }
  const delimiter = result.meta.delimiter
  const header = data[0].some((cell) => cell.trim() !== '' && cellNumber(cell, delimiter) === null)
  const rows = header ? data.slice(1) : data
  const width = data[0].length
  if (width > LIMITS.maxCsvColumns) return { ok: false, error: `row 1: has ${width} columns; at most ${LIMITS.maxCsvColumns}` }
  if (rows.length === 0) return { ok: false, error: 'file: has a header but no rows of numbers' }
  if (rows.length > LIMITS.maxSamples)
    return { ok: false, error: `file: has more than ${LIMITS.maxSamples} rows; at most ${LIMITS.maxSamples} samples` }
  const first = header ? 2 : 1
  for (let r = 0; r < rows.length; r++)
    if (rows[r].length !== width) return { ok: false, error: `row ${r + first}: has ${rows[r].length} cells; the first row has ${width}` }
  const columns = data[0].map((cell, i) => (header ? columnName(cell) : '') || `column ${i + 1}`)
  return { ok: true, value: { columns, rows, header, delimiter } }
}

/** Why this choice of columns cannot make samples, or null. */
function columnsProblem(table: CsvTable, choice: CsvColumns): string | null {
  for (const [what, list] of [
    ['inputs', choice.inputs],
    ['targets', choice.targets],
  ] as const) {
    if (list.length === 0) return `${what}: choose at least one column`
    if (list.length > LIMITS.maxNeurons) return `${what}: ${list.length} columns; at most ${LIMITS.maxNeurons}`
    const bad = list.find((c) => !Number.isInteger(c) || c < 0 || c >= table.columns.length)
    if (bad !== undefined) return `${what}: there is no column ${bad + 1}`
  }
  const both = choice.inputs.find((c) => choice.targets.includes(c))
  if (both !== undefined) return `column "${table.columns[both]}" is chosen as an input and as a target`
  return null
}

/**
 * The samples of a table: one per row, inputs and targets from the chosen columns. Every chosen
 * cell must be a finite number; the first that is not is named by row and column.
 */
export function samplesFromCsv(table: CsvTable, choice: CsvColumns): Parsed<Sample[]> {
  const problem = columnsProblem(table, choice)
  if (problem) return { ok: false, error: problem }
  const first = table.header ? 2 : 1
  const samples: Sample[] = []
  const read = (row: string[], r: number, columns: number[]): number[] | string => {
    const out: number[] = []
    for (const c of columns) {
      const x = cellNumber(row[c], table.delimiter)
      const where = `row ${r + first}, column "${table.columns[c]}"`
      if (x === null) return row[c].trim() === '' ? `${where}: is empty` : `${where}: ${quoted(row[c])} is not a number`
      if (!Number.isFinite(x)) return `${where}: ${quoted(row[c])} is too large for a number`
      out.push(x)
    }
    return out
  }
  for (let r = 0; r < table.rows.length; r++) {
    const inputs = read(table.rows[r], r, choice.inputs)
    if (typeof inputs === 'string') return { ok: false, error: inputs }
    const targets = read(table.rows[r], r, choice.targets)
    if (typeof targets === 'string') return { ok: false, error: targets }
    samples.push({ inputs, targets })
  }
  return { ok: true, value: samples }
}
