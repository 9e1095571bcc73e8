import type { ColumnKind, ColumnLayout } from '../engine/columns'
import type { EpochTable } from '../engine/epoch-table'
import { sheetMomentum, type RunConfig } from '../engine/types'
import { modelOf } from '../derivation'
import { columnFormula } from '../column-formula'
import type { Experiment } from '../experiment'
import type { ExportInput, TrainedRun } from '../export/input'
import { FormulaTooLong, columnLetter, compile, renderAt, type CompiledFormula, type Token } from './expr'
import { columnFormulas, columnMeanings, NoLiveFormula, type ColumnFormula, type FormulaRefs } from './formulas'
import { STYLES, type StyleKey } from './styles'

/**
 * The exported workbook, described cell by cell and independent of any xlsx library, so the
 * streaming Node writer and the browser's in-memory writer produce the same file.
 *
 * Sheets: Summary (E_tot of every run side by side, the loss chart beside it), one sheet per run
 * laid out like the original sheet (parameters block on top, the header in row 13 for one sample,
 * one row per epoch below it), and Formulas (every column's formula in words — columnFormula, the
 * same text as the window's column tooltips — and its Excel formula).
 * It takes trained runs (ExportInput) and reads their tables; rows are generated lazily, as the
 * writer asks for them, so no sheet is ever held whole.
 */

export const EXCEL_MAX_ROWS = 1_048_576
export const EXCEL_MAX_FORMULA_LENGTH = 8192
export const LIVE_MAX_EPOCHS = 100_000
export const LIVE_MAX_COLUMNS = 300

export type FormulaMode = 'auto' | 'values' | 'formulas'

export interface WorkbookOptions {
  /** auto (default): live formulas while a run fits the limits below; values: numbers only; formulas: live wherever possible. */
  mode?: FormulaMode
  /** Rows per worksheet; lowered only by tests of the splitting. */
  maxRows?: number
  liveMaxEpochs?: number
  liveMaxColumns?: number
}

export interface CellSpec {
  /** The value, or the cached result of a formula. */
  v: number | string
  /** Excel formula without the leading '='. */
  f?: string
  s: StyleKey
}

export interface RowSpec {
  /** 1-based sheet row. */
  r: number
  /** By 0-based column; null leaves the cell empty. */
  cells: (CellSpec | null)[]
}

/** The cells of an exceljs row (in-memory or streaming), typed by shape so this file needs no exceljs. */
export interface ExcelRowLike {
  getCell(col: number): { value: unknown; style: unknown }
}

/** Writes a layout row into an exceljs row: formula cells carry their computed value as the cached result. */
export function fillRow(target: ExcelRowLike, row: RowSpec): void {
  row.cells.forEach((c, i) => {
    if (!c) return
    const cell = target.getCell(i + 1)
    cell.value = c.f ? { formula: c.f, result: c.v } : c.v
    cell.style = STYLES[c.s]
  })
}

export interface SheetSpec {
  name: string
  /** Character widths of the columns from A. */
  widths: number[]
  /** Rows kept in view while scrolling (the header and everything above it). */
  frozenRows: number
  /** Workbook-level names of single cells of this sheet (1-based row, 0-based column). */
  names: { name: string; row: number; col: number }[]
  /** Where the loss chart goes (0-based column and row of its top-left corner), on Summary only. */
  chartAt?: { col: number; row: number }
  rowCount: number
  /** Generates the rows in order. */
  rows(): Iterable<RowSpec>
}

export interface RunPlan {
  index: number
  config: RunConfig
  layout: ColumnLayout
  table: EpochTable
  sheetNames: string[]
  live: boolean
  /** Why the run is written as it is, shown in the sheet and on the Formulas sheet. */
  cellsNote: string
  losses: Float64Array
  stopMessage: string
  etaName: string
  muName: string
  headerRow: number
  rowsPerSheet: number
}

export interface WorkbookSpec {
  experiment: Experiment
  runs: RunPlan[]
  sheets: SheetSpec[]
  totalRows: number
}

/** Parameters block of a run sheet (1-based rows). */
export const PARAM_ROWS = { title: 1, architecture: 2, activations: 3, loss: 4, bias: 5, run: 6, cells: 7, momentum: 8, eta: 9, samples: 10 } as const

const LOSS_WORDS: Record<RunConfig['loss'], string> = {
  'half-sse': 'half-sse: E_k = ½·(t_k − out_k)²',
  mse: 'mse: E_k = (t_k − out_k)² / K',
  bce: 'bce: E_k = −t·ln(out) − (1 − t)·ln(1 − out), from the net input',
  'softmax-ce': 'softmax-ce: E_k = −t_k·ln(out_k)',
}

const STYLE_OF: Record<ColumnKind, StyleKey> = {
  target: 'num',
  input: 'num',
  weight: 'num',
  bias: 'num',
  net: 'num',
  out: 'num',
  error: 'sci',
  loss: 'loss',
  penalty: 'loss',
  testLoss: 'loss',
  accTrain: 'num',
  accTest: 'num',
  gradW: 'sci',
  gradB: 'sci',
  state: 'sci',
}

const quoteSheet = (name: string): string => `'${name.replace(/'/g, "''")}'`

/** Excel's limit on a sheet name. */
const MAX_SHEET_NAME = 31
const withSuffix = (name: string, suffix: string): string => name.slice(0, MAX_SHEET_NAME - suffix.length) + suffix

/** `η = 0.5`; a rate given twice gets its run number, `η = 0.5 (3)`; parts of a split run ` part 2`. */
function sheetNameOf(configs: RunConfig[], i: number, part: string): string {
  const rates = configs.map((c) => c.learningRate)
  const repeated = rates.indexOf(rates[i]) !== i || rates.lastIndexOf(rates[i]) !== i
  return withSuffix(`η = ${rates[i]}`, (repeated ? ` (${i + 1})` : '') + part)
}

function headerRowFor(sampleCount: number): number {
  return Math.max(13, PARAM_ROWS.samples + sampleCount + 2)
}

interface Compiled {
  first: CompiledFormula | null
  second: CompiledFormula
  rest: CompiledFormula
}

function refsFor(layout: ColumnLayout, etaName: string, muName: string): FormulaRefs {
  const inputs = layout.shape.layers[0]
  const abs = (col: number, row: number): string => `$${columnLetter(col)}$${row}`
  return {
    eta: etaName,
    mu: muName,
    input: (s: number, i: number): Token => abs(1 + i, PARAM_ROWS.samples + 1 + s),
    target: (s: number, k: number): Token => abs(1 + inputs + k, PARAM_ROWS.samples + 1 + s),
  }
}

/**
 * The Excel formulas of a run's columns, or why there are none: a formula longer than Excel takes
 * (deep, wide networks), or a column without a live formula yet.
 */
function formulasOf(run: RunPlan): ColumnFormula[] | string {
  try {
    return columnFormulas(run.config, run.layout, refsFor(run.layout, run.etaName, run.muName))
  } catch (e) {
    if (e instanceof FormulaTooLong) return `values only: a formula of this network would be longer than Excel's ${EXCEL_MAX_FORMULA_LENGTH} characters`
    if (e instanceof NoLiveFormula) return `values only: ${e.message}`
    throw e
  }
}

function longestFormula(compiled: Compiled[], lastRow: number): number {
  let max = 0
  for (const c of compiled) for (const f of [c.first, c.second, c.rest]) if (f) max = Math.max(max, renderAt(f, lastRow).length)
  return max
}

function planRun(trained: TrainedRun[], index: number, options: Required<WorkbookOptions>): { run: RunPlan; compiled: Compiled[] | null } {
  const { config, layout, table, stopReason } = trained[index]
  const configs = trained.map((r) => r.config)
  const epochs = table.rowCount
  const headerRow = headerRowFor(config.samples.length)
  const rowsPerSheet = options.maxRows - headerRow
  if (rowsPerSheet < 1) throw new Error(`maxRows ${options.maxRows} leaves no room below the header`)
  const parts = Math.max(1, Math.ceil(epochs / rowsPerSheet))
  const sheetNames = Array.from({ length: parts }, (_, p) => sheetNameOf(configs, index, parts === 1 ? '' : ` part ${p + 1}`))
  const run: RunPlan = {
    index,
    config,
    layout,
    table,
    sheetNames,
    live: false,
    cellsNote: '',
    losses: table.column(layout.lossColumn),
    stopMessage: stopReason.message,
    etaName: `eta_${index + 1}`,
    muName: `mu_${index + 1}`,
    headerRow,
    rowsPerSheet,
  }
  const columns = layout.names.length
  let reason = ''
  if (options.mode === 'values') reason = 'values only, as requested'
  else if (parts > 1) reason = `values only: ${epochs.toLocaleString('en-US')} epochs are split across ${parts} sheets (a sheet holds ${options.maxRows.toLocaleString('en-US')} rows)`
  else if (options.mode === 'auto' && epochs > options.liveMaxEpochs) reason = `values only: live formulas are written up to ${options.liveMaxEpochs.toLocaleString('en-US')} epochs`
  else if (options.mode === 'auto' && columns > options.liveMaxColumns) reason = `values only: live formulas are written up to ${options.liveMaxColumns} columns`
  let compiled: Compiled[] | null = null
  if (!reason) {
    const formulas = formulasOf(run)
    compiled = typeof formulas === 'string' ? null : formulas.map((f) => ({ first: f.first && compile(f.first), second: compile(f.second), rest: compile(f.rest) }))
    if (typeof formulas === 'string') reason = formulas
    else if (!compiled || longestFormula(compiled, headerRow + epochs) > EXCEL_MAX_FORMULA_LENGTH) {
      reason = `values only: a formula of this network would be longer than Excel's ${EXCEL_MAX_FORMULA_LENGTH} characters`
      compiled = null
    }
  }
  run.live = compiled !== null
  run.cellsNote = run.live ? 'live formulas: change η or a yellow cell (an input, a target, an initial weight) and the sheet recomputes' : reason
  return { run, compiled }
}

function parameterRows(run: RunPlan, title: string, part: number): RowSpec[] {
  const { config, layout } = run
  const text = (v: string, s: StyleKey = 'text'): CellSpec => ({ v, s })
  const line = (r: number, label: string, value: CellSpec): RowSpec => ({ r, cells: [text(label, 'label'), value] })
  const parts = run.sheetNames.length
  const partNote = parts > 1 ? ` — part ${part + 1} of ${parts}, epochs from ${(part * run.rowsPerSheet + 1).toLocaleString('en-US')}` : ''
  const rows: RowSpec[] = [
    { r: PARAM_ROWS.title, cells: [text(title + partNote, 'title')] },
    line(PARAM_ROWS.architecture, 'Architecture', text(config.network.layers.join('-'))),
    line(PARAM_ROWS.activations, 'Activations', text(config.network.activations.join(', '))),
    line(PARAM_ROWS.loss, 'Loss', text(`${LOSS_WORDS[config.loss]}; E_tot = Σ E_k${config.samples.length > 1 ? ', mean over samples' : ''}`)),
    line(PARAM_ROWS.bias, 'Bias', text(config.network.bias)),
    line(PARAM_ROWS.run, 'Run', text(run.stopMessage)),
    line(PARAM_ROWS.cells, 'Cells', text(run.cellsNote, 'note')),
    line(PARAM_ROWS.momentum, 'μ (momentum)', { v: sheetMomentum(config.optimizer), s: 'param' }),
    line(PARAM_ROWS.eta, 'η =', { v: config.learningRate, s: 'param' }),
  ]
  const inputs = layout.shape.layers[0]
  const outputs = layout.shape.layers[layout.shape.depth]
  const head: (CellSpec | null)[] = [text('sample', 'header')]
  for (let i = 0; i < inputs; i++) head.push(text(`i${i + 1}`, 'header'))
  for (let k = 0; k < outputs; k++) head.push(text(`t${k + 1}`, 'header'))
  rows.push({ r: PARAM_ROWS.samples, cells: head })
  config.samples.forEach((sample, s) => {
    const cells: (CellSpec | null)[] = [text(`s${s + 1}`, 'label')]
    for (const x of sample.inputs) cells.push({ v: x, s: 'param' })
    for (const t of sample.targets) cells.push({ v: t, s: 'param' })
    rows.push({ r: PARAM_ROWS.samples + 1 + s, cells })
  })
  rows.push({ r: run.headerRow, cells: layout.names.map((n) => text(n, 'header')) })
  return rows
}

function columnWidths(layout: ColumnLayout): number[] {
  return layout.columns.map((c, i) => Math.max(i === 0 ? 14 : 12, c.name.length + 2, STYLE_OF[c.kind] === 'sci' ? 14 : 13))
}

function runSheets(run: RunPlan, compiled: Compiled[] | null, title: string): SheetSpec[] {
  const { layout, headerRow, rowsPerSheet } = run
  const styles = layout.columns.map((c) => STYLE_OF[c.kind])
  const firstStyles = layout.columns.map((c, i) => (compiled && (c.kind === 'weight' || c.kind === 'bias') ? 'param' : styles[i]))
  const { table } = run
  const epochs = table.rowCount
  return run.sheetNames.map((name, part): SheetSpec => {
    const from = part * rowsPerSheet
    const count = Math.min(rowsPerSheet, epochs - from)
    return {
      name,
      widths: columnWidths(layout),
      frozenRows: headerRow,
      names: part === 0 ? [{ name: run.etaName, row: PARAM_ROWS.eta, col: 1 }, { name: run.muName, row: PARAM_ROWS.momentum, col: 1 }] : [],
      rowCount: headerRow + count,
      *rows() {
        yield* parameterRows(run, title, part)
        for (let e = from; e < from + count; e++) {
          const r = headerRow + 1 + e - from
          const cells: CellSpec[] = new Array(styles.length)
          for (let c = 0; c < styles.length; c++) {
            const v = table.get(e, c)
            const f = compiled ? (e === 0 ? compiled[c].first : e === 1 ? compiled[c].second : compiled[c].rest) : null
            cells[c] = f ? { v, f: renderAt(f, r), s: styles[c] } : { v, s: e === 0 ? firstStyles[c] : styles[c] }
          }
          yield { r, cells }
        }
      },
    }
  })
}

function summarySheet(runs: RunPlan[], maxRows: number): SheetSpec {
  const longest = Math.max(...runs.map((r) => r.losses.length))
  const stride = Math.max(1, Math.ceil(longest / (maxRows - 2)))
  const count = Math.ceil(longest / stride)
  return {
    name: 'Summary',
    widths: [10, ...runs.map(() => 14)],
    frozenRows: 2,
    names: [],
    chartAt: { col: runs.length + 2, row: 1 },
    rowCount: 2 + count,
    *rows() {
      const title = `E_tot per epoch for every learning rate${stride > 1 ? ` (every ${stride}th epoch)` : ''}`
      yield { r: 1, cells: [{ v: title, s: 'title' }] }
      const head: CellSpec[] = [{ v: 'epoch', s: 'header' }]
      for (const run of runs) head.push(run.live ? { v: run.config.learningRate, f: run.etaName, s: 'header' } : { v: run.config.learningRate, s: 'header' })
      yield { r: 2, cells: head }
      for (let i = 0; i < count; i++) {
        const e = i * stride
        const cells: (CellSpec | null)[] = [{ v: e + 1, s: 'int' }]
        for (const run of runs) {
          if (e >= run.losses.length) cells.push(null)
          else if (run.live) cells.push({ v: run.losses[e], f: `${quoteSheet(run.sheetNames[0])}!${columnLetter(run.layout.lossColumn)}${run.headerRow + 1 + e}`, s: 'loss' })
          else cells.push({ v: run.losses[e], s: 'loss' })
        }
        yield { r: 3 + i, cells }
      }
    },
  }
}

function formulasSheet(runs: RunPlan[]): SheetSpec {
  const run = runs[0]
  const found = formulasOf(run)
  const formulas = typeof found === 'string' ? null : found
  const names = run.layout.names
  const example = run.headerRow + 2
  const rows: RowSpec[] = []
  const note = (v: string): void => {
    rows.push({ r: rows.length + 1, cells: [{ v, s: 'note' }] })
  }
  rows.push({ r: 1, cells: [{ v: 'How every column is computed', s: 'title' }] })
  note(`Row k below the header of a run sheet is epoch k: the weights at its start, its forward pass, its loss and its gradients. The next row's weights are ${sheetMomentum(run.config.optimizer) > 0 ? 'w − η·v, v (the v_ columns) being μ·v + ∂E/∂w of the row before (PyTorch\'s momentum)' : 'w − η·∂E/∂w'}.`)
  note(`η is the named cell eta_1, eta_2, … (B${PARAM_ROWS.eta} of each run sheet), μ is mu_1, mu_2, … (B${PARAM_ROWS.momentum}).`)
  for (const r of runs) note(`${r.sheetNames.join(', ')} (${r.etaName}): ${r.cellsNote}.`)
  if (typeof found === 'string') note(`The Excel formulas are not shown (${found}).`)
  rows.push({ r: rows.length + 2, cells: ['Column', 'Name', 'What it is', 'Formula in words', `Excel formula (${run.sheetNames[0]}, row ${example})`].map((v) => ({ v, s: 'header' as const })) })
  const top = rows[rows.length - 1].r
  const model = modelOf(run.config)
  const meanings = columnMeanings(run.config, run.layout)
  names.forEach((_, c) => {
    const words = columnFormula(run.layout, c, model)
    const excel: CellSpec | null = formulas ? { v: '=' + renderAt(compile(formulas[c].second), example), s: 'text' } : null
    rows.push({
      r: top + 1 + c,
      cells: [
        { v: columnLetter(c), s: 'text' },
        { v: names[c], s: 'label' },
        { v: meanings[c], s: 'text' },
        { v: words, s: 'text' },
        excel,
      ],
    })
  })
  return { name: 'Formulas', widths: [8, 12, 44, 90, 90], frozenRows: top, names: [], rowCount: rows.length, rows: () => rows }
}

/** Plans the whole workbook of an experiment's trained runs (see ExportInput); trains nothing. */
export function workbookSpec(input: ExportInput, options: WorkbookOptions = {}): WorkbookSpec {
  const { experiment, runs: trained } = input
  if (trained.length === 0) throw new Error('Cannot export: no runs')
  const opts: Required<WorkbookOptions> = {
    mode: options.mode ?? 'auto',
    maxRows: options.maxRows ?? EXCEL_MAX_ROWS,
    liveMaxEpochs: options.liveMaxEpochs ?? LIVE_MAX_EPOCHS,
    liveMaxColumns: options.liveMaxColumns ?? LIVE_MAX_COLUMNS,
  }
  const planned = trained.map((_, i) => planRun(trained, i, opts))
  const runs = planned.map((p) => p.run)
  const sheets: SheetSpec[] = [summarySheet(runs, opts.maxRows)]
  planned.forEach((p) => sheets.push(...runSheets(p.run, p.compiled, `Backprop Lab — ${experiment.name} — η = ${p.run.config.learningRate}`)))
  sheets.push(formulasSheet(runs))
  return { experiment, runs, sheets, totalRows: sheets.reduce((n, s) => n + s.rowCount, 0) }
}
