import type { FoundTable } from './headers'
import { columnName, numberAt, parseRef, type WorkbookGrid } from './grid'

/**
 * The learning rate a student's table states: the cell or name its update formulas use, else a
 * defined name, else a labelled cell ("η =", "LR", "learning rate", … — students also type lookalike
 * letters) nearest above the table. null when none is found: the caller infers it from the rows.
 */
export interface StatedRate {
  value: number
  source: 'named' | 'label'
  /** How the sheet refers to it in a formula: `$H$31`, a name, or the number itself. */
  ref: string
}

// η and its lookalikes (ŋ ƞ ɳ n), α and its lookalikes (ɑ ⍺ ∝ a), and the words.
const LABEL = /^(?:η|ŋ|ƞ|ɳ|eta|α|ɑ|⍺|∝|alpha|lr|learningrate|learnrate|rate)$/
const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[\s_\-()]/g, '')

/** "η =", "LR:" → true; "LR=0.5" → 0.5 (a label with its value in the same cell). */
export function labelValue(text: string): number | true | null {
  const m = /^(.*?)[=:]\s*(-?[\d.]+(?:e-?\d+)?)?\s*$/i.exec(text.trim())
  const head = fold(m ? m[1] : text)
  if (!LABEL.test(head)) return null
  const n = m?.[2] !== undefined ? Number(m[2]) : NaN
  return Number.isFinite(n) && n > 0 ? n : true
}

export function statedRate(grid: WorkbookGrid, table: FoundTable): StatedRate | null {
  return fromUpdateFormula(grid, table) ?? fromDefinedName(grid) ?? fromLabel(table)
}

function positive(v: number | null): v is number {
  return v !== null && v > 0 && Number.isFinite(v)
}

function fromUpdateFormula(grid: WorkbookGrid, table: FoundTable): StatedRate | null {
  const { sheet, dataRows, columns } = table
  if (dataRows.length < 2) return null
  const tableCols = new Set(columns.values())
  for (const [name, col] of columns) {
    if (!/^w\d+$/.test(name)) continue
    const formula = sheet.rows.get(dataRows[1])?.get(col)?.formula
    if (!formula) continue
    const tokens = formula.match(/(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}\$?\d+|[A-Za-z_\\][\w.]*/g) ?? []
    for (const token of tokens) {
      const ref = parseRef(token)
      if (ref) {
        const target = ref.sheet ? grid.sheets.find((s) => s.name === ref.sheet) : sheet
        const inTable = !ref.sheet && tableCols.has(ref.col) && ref.row >= table.headerRow
        if (!target || inTable) continue
        const value = numberAt(target, ref.row, ref.col)
        if (positive(value)) return { value, source: 'label', ref: token }
        continue
      }
      const named = grid.names.find((n) => n.name.toLowerCase() === token.toLowerCase())
      const target = named && grid.sheets.find((s) => s.name === named.sheet)
      const value = target ? numberAt(target, named!.row, named!.col) : null
      if (positive(value)) return { value, source: 'named', ref: token }
    }
  }
  return null
}

function fromDefinedName(grid: WorkbookGrid): StatedRate | null {
  for (const n of grid.names) {
    if (!LABEL.test(fold(n.name)) && !/^(?:learning)?rate|^eta|^lr/.test(fold(n.name))) continue
    const sheet = grid.sheets.find((s) => s.name === n.sheet)
    const value = sheet ? numberAt(sheet, n.row, n.col) : null
    if (positive(value)) return { value, source: 'named', ref: n.name }
  }
  return null
}

function fromLabel(table: FoundTable): StatedRate | null {
  const { sheet, headerRow } = table
  const firstCol = Math.min(...table.columns.values())
  let best: { score: number; rate: StatedRate } | null = null
  for (const [r, cells] of sheet.rows) {
    for (const [c, cell] of cells) {
      if (typeof cell.value !== 'string') continue
      const label = labelValue(cell.value)
      if (label === null) continue
      let rate: StatedRate | null = null
      if (label !== true) rate = { value: label, source: 'label', ref: String(label) }
      else {
        // The value sits to the right of its label (a few cells at most) or just below it.
        const spots: [number, number][] = [[r, c + 1], [r, c + 2], [r, c + 3], [r + 1, c]]
        for (const [rr, cc] of spots) {
          const value = numberAt(sheet, rr, cc)
          if (positive(value)) {
            rate = { value, source: 'label', ref: `$${columnName(cc)}$${rr}` }
            break
          }
        }
      }
      if (!rate) continue
      // Nearest above the header wins; a label below the table only when nothing is above.
      const score = (r <= headerRow ? headerRow - r : 1e6 + r) + Math.abs(c - firstCol) / 1000
      if (!best || score < best.score) best = { score, rate }
    }
  }
  return best?.rate ?? null
}

