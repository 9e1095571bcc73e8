import { train } from '../engine/trainer'
import { runConfigs, type Experiment } from '../experiment'
import { columnFormulas } from '../xlsx/formulas'
import { excelHypers } from '../math/optimizers'
import type { Expr } from '../xlsx/expr'
import { address, columnName, numberAt, type WorkbookGrid } from './grid'
import type { FoundTable } from './headers'
import { statedRate } from './learning-rate'
import { likelyMistake } from './mistakes'
import { columnTolerance, shortestWithin } from './precision'
import { rebuildExperiment, tableShape, TableProblem, type TableShape } from './rebuild'

/** One table's verdict, in the shape of the CLI's JSON (docs/check-spreadsheet.md). */
export interface Mismatch {
  cell: string
  column: string
  epoch: number
  expected: number
  found: number
  /** The formula the cell should hold, in the sheet's own cells (`=J66*M66+L66*N66`). */
  formula: string | null
  likelyMistake: string | null
}

export interface TableReport {
  sheet: string
  headerRow: number
  learningRate: number
  learningRateSource: 'named' | 'label' | 'inferred'
  rows: number
  cellsChecked: number
  cellsAgreeing: number
  firstMismatch: Mismatch | null
}

export interface CheckedTable {
  report: TableReport
  /** Rows whose every checked cell agrees. */
  rowsAgreeing: number
  /** The experiment rebuilt from the table: what "Open it" opens. */
  experiment: Experiment
  /** Significant digits the workbook stored (15+: full precision). */
  storedDigits: number
}

export function checkTable(grid: WorkbookGrid, table: FoundTable, experimentName: string): CheckedTable {
  const { sheet, columns, dataRows } = table
  const shape = tableShape(columns)
  const tolerance = new Map([...columns].map(([name, col]) => [name, columnTolerance(storedValues(table, name, col))]))
  const digits = Math.min(...[...tolerance.values()].map((t) => t.digits))
  const relTol = Math.max(...[...tolerance.values()].map((t) => t.relative))
  const stated = statedRate(grid, table)
  const rate = stated?.value ?? inferRate(table, shape, relTol)
  const experiment = rebuildExperiment(table, shape, rate ?? 0.5, experimentName)
  const config = runConfigs(experiment)[0]
  const run = train(config, { record: true })
  const engine = run.table!
  const names = run.layout.names

  // Per column, a floor for the tolerance: a gradient passing through zero has no relative precision.
  const scale = names.map((_, col) => {
    let s = 0
    for (let e = 0; e < engine.rowCount; e++) s = Math.max(s, Math.abs(engine.get(e, col)))
    return s
  })
  const agrees = (found: number, expected: number, col: number): boolean => {
    const t = tolerance.get(names[col])!
    return Math.abs(found - expected) <= Math.max(t.relative * Math.max(Math.abs(expected), 1e-3 * scale[col]), t.absolute)
  }

  let cellsChecked = 0
  let cellsAgreeing = 0
  let rowsAgreeing = 0
  let first: { epoch: number; col: number; row: number; sheetCol: number; found: number } | null = null
  dataRows.forEach((row, epoch) => {
    let rowOk = true
    names.forEach((name, col) => {
      const sheetCol = columns.get(name)
      if (sheetCol === undefined) return
      const found = numberAt(sheet, row, sheetCol)
      if (found === null) return
      cellsChecked++
      const expected = epoch < engine.rowCount ? engine.get(epoch, col) : NaN
      if (agrees(found, expected, col)) cellsAgreeing++
      else {
        rowOk = false
        first ??= { epoch, col, row, sheetCol, found }
      }
    })
    if (rowOk) rowsAgreeing++
  })

  let firstMismatch: Mismatch | null = null
  if (first) {
    const { epoch, col, row, sheetCol, found } = first as { epoch: number; col: number; row: number; sheetCol: number; found: number }
    const name = names[col]
    const expected = epoch < engine.rowCount ? engine.get(epoch, col) : NaN
    const value = (n: string): number => engine.get(epoch, names.indexOf(n))
    const previous = (n: string): number => (epoch > 0 ? engine.get(epoch - 1, names.indexOf(n)) : NaN)
    const guess =
      likelyMistake(name, {
        value,
        found: (n) => {
          const c = columns.get(n)
          return (c === undefined ? null : numberAt(sheet, row, c)) ?? NaN
        },
        previous,
        ...shape,
        learningRate: config.learningRate,
        matches: (candidate) => agrees(found, candidate, col) || Math.abs(found - candidate) <= 1e-6 * Math.abs(candidate),
      }) ?? typedValueGuess(table, row, sheetCol)
    const formulas = columnFormulas(config, run.layout, {
      hyper: excelHypers(stated?.ref ?? String(config.learningRate)),
      input: (_s, i) => firstRowRef(table, `i${i + 1}`, config.samples[0].inputs[i]),
      target: (_s, k) => firstRowRef(table, `t${k + 1}`, config.samples[0].targets[k]),
      samples: () => 'NA()', // a student's sheet has a column for each of its samples
    })[col]
    const expr = !formulas ? null : epoch === 0 ? formulas.first : epoch === 1 ? formulas.second : formulas.rest
    firstMismatch = {
      cell: address(row, sheetCol),
      column: name,
      epoch: epoch + 1,
      expected,
      found,
      formula: expr ? `=${render(expr, names, columns, row)}` : null,
      likelyMistake: guess,
    }
  }

  return {
    report: {
      sheet: sheet.name,
      headerRow: table.headerRow,
      learningRate: config.learningRate,
      learningRateSource: stated?.source ?? 'inferred',
      rows: dataRows.length,
      cellsChecked,
      cellsAgreeing,
      firstMismatch,
    },
    rowsAgreeing,
    experiment,
    storedDigits: digits,
  }
}

/** The numbers a column stores where it is computed (a typed initial 0.15 says nothing of precision). */
function storedValues(table: FoundTable, name: string, col: number): number[] {
  const rows = /^[ti]\d+$/.test(name) ? [] : table.dataRows.slice(name.startsWith('w') ? 1 : 0)
  return rows.map((r) => numberAt(table.sheet, r, col)).filter((v): v is number => v !== null)
}

/**
 * η from the first two rows, w(2) = w(1) − η·∂E/∂w(1): with the sheet's own gradients where it has
 * them, else with the engine's (the first row's gradients do not depend on η). null with one row.
 */
function inferRate(table: FoundTable, shape: TableShape, relTol: number): number | null {
  if (table.dataRows.length < 2) return null
  const [r0, r1] = table.dataRows
  const probe = runConfigs(rebuildExperiment({ ...table, dataRows: [r0] }, shape, 1, ''))[0]
  const run = train(probe, { record: true })
  let best: { eta: number; allowed: number; step: number } | null = null
  for (let w = 1; w <= shape.hidden * (shape.inputs + shape.outputs); w++) {
    const col = table.columns.get(`w${w}`)!
    const gradCol = table.columns.get(`∂E/∂w${w}`)
    const before = numberAt(table.sheet, r0, col)
    const after = numberAt(table.sheet, r1, col)
    const grad = (gradCol !== undefined ? numberAt(table.sheet, r0, gradCol) : null) ?? run.table!.get(0, run.layout.names.indexOf(`∂E/∂w${w}`))
    if (before === null || after === null || !grad) continue
    const step = Math.abs(before - after)
    if (!best || step > best.step) best = { eta: (before - after) / grad, allowed: 0, step }
    if (best.step === step) best.allowed = (relTol * Math.max(Math.abs(before), Math.abs(after))) / step
  }
  if (!best || !(best.eta > 0)) throw new TableProblem('no learning rate is stated, and the weights of the first two rows do not imply one')
  return shortestWithin(best.eta, Math.abs(best.eta) * Math.max(best.allowed, 1e-12))
}

function typedValueGuess(table: FoundTable, row: number, col: number): string | null {
  if (table.sheet.rows.get(row)?.get(col)?.formula) return null
  const others = table.dataRows.slice(1).filter((r) => r !== row)
  const withFormula = others.filter((r) => table.sheet.rows.get(r)?.get(col)?.formula).length
  return others.length && withFormula * 2 >= others.length ? 'a hard-typed value where a formula belongs: the column’s other cells hold formulas' : null
}

function firstRowRef(table: FoundTable, name: string, value: number): string {
  const col = table.columns.get(name)
  return col === undefined ? String(value) : `$${columnName(col)}$${table.dataRows[0]}`
}

/** An app formula in the sheet's own cells; a column the sheet lacks shows as [name]. */
function render(expr: Expr, names: readonly string[], columns: Map<string, number>, row: number): string {
  return expr
    .map((t) => {
      if (typeof t === 'string') return t
      const col = columns.get(names[t.col])
      return col === undefined ? `[${names[t.col]}]` : `${columnName(col)}${row + t.dr}`
    })
    .join('')
}
