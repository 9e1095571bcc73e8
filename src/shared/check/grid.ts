import { columnLetter } from '../xlsx/expr'

/**
 * A workbook as the checker sees it: plain data, independent of any xlsx library, so the checker's
 * logic runs the same under Node (CLI), in the renderer and in tests.
 */
export interface GridCell {
  /** A number, a text, or null (empty, error, a formula without a stored result). */
  value: number | string | null
  /** The formula without '=' (shared formulas already translated), or null for a typed value. */
  formula: string | null
}

export interface SheetGrid {
  name: string
  /** 1-based row → 1-based column → cell; only cells that hold something. */
  rows: Map<number, Map<number, GridCell>>
}

export interface DefinedName {
  name: string
  sheet: string
  row: number
  col: number
}

export interface WorkbookGrid {
  sheets: SheetGrid[]
  names: DefinedName[]
}

export function cellAt(sheet: SheetGrid, row: number, col: number): GridCell | undefined {
  return sheet.rows.get(row)?.get(col)
}

export function numberAt(sheet: SheetGrid, row: number, col: number): number | null {
  const v = cellAt(sheet, row, col)?.value
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** Spreadsheet column letters ↔ 1-based index (the exporter's columnLetter counts from 0). */
export const columnName = (col: number): string => columnLetter(col - 1)

export function columnIndex(letters: string): number {
  let n = 0
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64
  return n
}

export const address = (row: number, col: number): string => `${columnName(col)}${row}`

/** "$H$31" or "Sheet1!B2" → its parts; null when it is not a single cell reference. */
export function parseRef(ref: string): { sheet: string | null; row: number; col: number } | null {
  const m = /^(?:(?:'((?:[^']|'')+)'|([^!'\s]+))!)?\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim())
  if (!m) return null
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? null)
  return { sheet, row: Number(m[4]), col: columnIndex(m[3]) }
}
