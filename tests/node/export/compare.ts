import ExcelJS from 'exceljs'
import { train } from '../../../src/shared/engine'
import { parseDocumentText } from '../../../src/shared/document'
import { runConfigs, type Experiment } from '../../../src/shared/experiment'
import type { TrainedRun } from '../../../src/shared/export/input'
import type { ColumnKind } from '../../../src/shared/engine/columns'
import { relError } from '../../shared/reference'

/**
 * Compares every number of an exported workbook with an independent engine run: each run sheet
 * (found by its name `η = rate` and its header row), every epoch row, every column; and the
 * Summary. A formula cell counts by its result — the cached one in our own file, the recomputed
 * one after LibreOffice.
 */
export interface Comparison {
  cells: number
  formulas: number
  maxRelError: number
  worst: string
  /** Cells whose engine value is rounding noise of a cancellation (see ROUNDING_LEVEL). */
  nearZero: number
}

/**
 * A sum that cancels (a net input of ≈ 0) leaves rounding noise: the engine gives 5.6e-17 where
 * LibreOffice, which snaps nearly cancelling additions to 0 as Excel does, gives 0. Relative error
 * means nothing there, so a value within ROUNDING_LEVEL of its column's largest magnitude is
 * compared absolutely, to that level, and counted apart.
 */
export const ROUNDING_LEVEL = 1e-12

export function numberOf(v: ExcelJS.CellValue): { n: number; formula: boolean } {
  if (typeof v === 'number') return { n: v, formula: false }
  if (v && typeof v === 'object' && 'formula' in v) {
    // exceljs 4.4 reads a formula's cached <v>0</v> as no result at all (a falsy check), so a
    // missing result is 0 here; an error result ({ error: '#NUM!' }) stays NaN and fails.
    const result = (v as ExcelJS.CellFormulaValue).result
    return { n: result === undefined ? 0 : Number(result), formula: true }
  }
  return { n: NaN, formula: false }
}

/** Sets the cell a workbook-level name points at (`'η = 0.5'!$B$9`). */
export function setNamedCell(wb: ExcelJS.Workbook, name: string, value: number): void {
  const [sheet, address] = wb.definedNames.model.find((n) => n.name === name)!.ranges[0].split('!')
  wb.getWorksheet(sheet.replace(/^'|'$/g, ''))!.getCell(address.replace(/\$/g, '')).value = value
}

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  return wb
}

/** The experiment of a document's text (any format version), read by the app's validator. */
export function experimentOf(text: string): Experiment {
  const parsed = parseDocumentText(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value.experiment
}

/** Row of the header (all column names in order from A), or throws. */
export function headerRow(ws: ExcelJS.Worksheet, names: readonly string[]): number {
  for (let r = 1; r <= Math.min(ws.rowCount, 2100); r++) {
    const row = ws.getRow(r)
    if (names.every((n, c) => row.getCell(c + 1).value === n)) return r
  }
  throw new Error(`no header row with ${names.slice(0, 3).join(', ')}… on ${ws.name}`)
}

export function compareToEngine(wb: ExcelJS.Workbook, documentText: string, options: { live: boolean }): Comparison {
  return compareRuns(wb, runConfigs(experimentOf(documentText)).map((config) => train(config) as TrainedRun), options)
}

/**
 * Every number of the workbook's run sheets and Summary against the given runs' tables (see
 * compareToEngine). `nearZero` (default ROUNDING_LEVEL) is the fraction of its column's largest
 * magnitude below which a value counts as a cancellation and is compared to ROUNDING_LEVEL of that magnitude.
 */
export function compareRuns(wb: ExcelJS.Workbook, runs: readonly TrainedRun[], options: { live: boolean; nearZero?: number }): Comparison {
  const nearZero = options.nearZero ?? ROUNDING_LEVEL
  const result: Comparison = { cells: 0, formulas: 0, maxRelError: 0, worst: '', nearZero: 0 }
  const check = (got: ExcelJS.CellValue, want: number, where: string, mustBeFormula: boolean | null, scale: number): void => {
    const { n, formula } = numberOf(got)
    if (mustBeFormula === true && !formula) throw new Error(`${where} should be a formula, is ${JSON.stringify(got)}`)
    if (mustBeFormula === false && formula) throw new Error(`${where} should be a value, is ${JSON.stringify(got)}`)
    const floor = ROUNDING_LEVEL * scale
    let e = Number.isNaN(n) ? Infinity : relError(n, want)
    if (Math.abs(want) <= nearZero * scale && n !== want) {
      result.nearZero++
      e = Math.abs(n - want) <= floor ? 0 : Infinity
    }
    result.cells++
    if (formula) result.formulas++
    if (e > result.maxRelError || (e === Infinity && result.maxRelError !== Infinity)) {
      result.maxRelError = e
      result.worst = `${where}: got ${n}, engine ${want}`
    }
  }
  const summary = wb.getWorksheet('Summary')
  if (!summary) throw new Error('no Summary sheet')
  runs.forEach(({ config, layout, table }, i) => {
    const ws = wb.getWorksheet(`η = ${config.learningRate}`)
    if (!ws) throw new Error(`no sheet for η = ${config.learningRate}`)
    const top = headerRow(ws, layout.names)
    if (ws.getCell('B9').value !== config.learningRate) throw new Error(`${ws.name}!B9 is not η`)
    const scales = layout.columns.map((_, c) => table.column(c).reduce((m, x) => Math.max(m, Math.abs(x)), 0))
    // In a live sheet every cell is a formula but the first row's parameters and state; E_test and the
    // accuracies may be the engine's numbers (formulasOf says when), so either is accepted there.
    const formulaFrom = layout.columns.map((col) => (MAYBE_VALUES.includes(col.kind) ? -1 : col.kind === 'weight' || col.kind === 'bias' || col.kind === 'state' ? 1 : 0))
    for (let e = 0; e < table.rowCount; e++) {
      const row = ws.getRow(top + 1 + e)
      layout.columns.forEach((_, c) => {
        const formula = formulaFrom[c] < 0 ? null : options.live && e >= formulaFrom[c]
        check(row.getCell(c + 1).value, table.get(e, c), `${ws.name}!${row.getCell(c + 1).address}`, formula, scales[c])
      })
    }
    if (ws.getRow(top + 1 + table.rowCount).getCell(1).value !== null) throw new Error(`${ws.name} has rows after the last epoch`)
    const losses = table.column(layout.lossColumn)
    for (let e = 0; e < losses.length; e++) {
      const cell = summary.getRow(3 + e).getCell(2 + i)
      check(cell.value, losses[e], `Summary!${cell.address}`, options.live, 0)
    }
  })
  return result
}

const MAYBE_VALUES: readonly ColumnKind[] = ['testLoss', 'accTrain', 'accTest']
