import type { SheetGrid } from './grid'
import { gradientName } from '../engine/columns'

/**
 * The header row of a student's epoch table: which spreadsheet column holds which of the app's
 * columns (`t1`, `i1`, `w1`, `h1`, `out_h1`, `o1`, `out_o1`, `E1`, `E_tot`, `∂E/∂w1`).
 * Students spell them in many ways; canonicalName folds capitalisation, spacing, underscores and
 * subscripts, then matches the families below.
 */

const GRADIENT = /^(?:[∂dδ]?e(?:tot(?:al)?|t)?\/?)?[∂dδ]w(\d+)$/
const OUT = /^(?:a|out|act|σ|sigma|sig)\(?([ho])(\d+)\)?$/
const NET = /^(?:net)?([tiwho])(\d+)$/
const ERROR = /^e(\d+)$/
const LOSS = /^e(?:tot(?:al)?|t)?$/

export function canonicalName(text: string): string | null {
  // NFKC turns subscript and full-width digits into plain ones (w₁ → w1).
  const s = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-·.]/g, '')
    .replace(/[=:]+$/, '')
  if (!s || s.length > 24) return null
  let m = GRADIENT.exec(s)
  if (m) return gradientName(`w${Number(m[1])}`)
  if ((m = OUT.exec(s))) return `out_${m[1]}${Number(m[2])}`
  if ((m = NET.exec(s))) return `${m[1]}${Number(m[2])}`
  if ((m = ERROR.exec(s))) return `E${Number(m[1])}`
  if (LOSS.test(s)) return 'E_tot'
  return null
}

export interface FoundTable {
  sheet: SheetGrid
  headerRow: number
  /** App column name → 1-based spreadsheet column. */
  columns: Map<string, number>
  /** 1-based rows of the epochs, first epoch first. */
  dataRows: number[]
}

const MIN_HEADER_NAMES = 6

/**
 * Every epoch table of a sheet: a row naming at least six known columns, weights among them, and the
 * rows below it whose first weight column holds a number. A row may hold several tables side by side
 * (one per learning rate): a name seen again starts the next one.
 */
export function findTables(sheet: SheetGrid): FoundTable[] {
  const tables: FoundTable[] = []
  const rowNumbers = [...sheet.rows.keys()].sort((a, b) => a - b)
  let skipUntil = 0
  for (const r of rowNumbers) {
    if (r <= skipUntil) continue
    const groups = headerGroups(sheet, r)
    let last = r
    for (const columns of groups) {
      const dataRows = epochRows(sheet, r, columns)
      if (!dataRows.length) continue
      tables.push({ sheet, headerRow: r, columns, dataRows })
      last = Math.max(last, dataRows[dataRows.length - 1])
    }
    if (tables.length && tables[tables.length - 1].headerRow === r) skipUntil = last
  }
  return tables
}

function headerGroups(sheet: SheetGrid, r: number): Map<string, number>[] {
  const cells = [...(sheet.rows.get(r) ?? new Map()).entries()].sort((a, b) => a[0] - b[0])
  const groups: Map<string, number>[] = []
  let current = new Map<string, number>()
  for (const [col, cell] of cells) {
    if (typeof cell.value !== 'string') continue
    const name = canonicalName(cell.value)
    if (!name) continue
    if (current.has(name)) {
      groups.push(current)
      current = new Map()
    }
    current.set(name, col)
  }
  groups.push(current)
  return groups.filter((g) => g.size >= MIN_HEADER_NAMES && g.has('w1') && [...g.keys()].some((n) => !/^[tiw]\d+$/.test(n)))
}

function epochRows(sheet: SheetGrid, headerRow: number, columns: Map<string, number>): number[] {
  const w1 = columns.get('w1')!
  const rows: number[] = []
  for (let r = headerRow + 1; ; r++) {
    const v = sheet.rows.get(r)?.get(w1)?.value
    if (typeof v !== 'number' || !Number.isFinite(v)) break
    rows.push(r)
  }
  return rows
}
