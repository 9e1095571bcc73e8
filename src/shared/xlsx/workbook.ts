import { isMiniBatch } from '../engine/batches'
import type { ColumnKind, ColumnLayout } from '../engine/columns'
import type { EpochTable } from '../engine/epoch-table'
import type { RunConfig } from '../engine/types'
import { modelOf } from '../derivation'
import { columnFormula } from '../column-formula'
import type { Experiment } from '../experiment'
import type { ExportInput, TrainedRun } from '../export/input'
import { FormulaTooLong, columnLetter, compile, renderAt, type CompiledFormula, type Token } from './expr'
import { columnFormulas, columnMeanings, NotLive, type ColumnFormula, type FormulaRefs } from './formulas'
import { excelHypers } from '../math/optimizers'
import { hyperCellsOf, optimizerCells, optimizerNotes, type HyperCell } from './optimizer-cells'
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
/** Characters of formulas in a run's sheet (the sheet net's 100,000 epochs take about 120 M). */
export const LIVE_MAX_FORMULA_CHARS = 200_000_000
/** More training samples than this: values only (a formula's sum over samples would be too long). */
export const LIVE_MAX_SAMPLES = 1000

export type FormulaMode = 'auto' | 'values' | 'formulas'

export interface WorkbookOptions {
  /** auto (default): live formulas while a run fits the limits below; values: numbers only; formulas: live wherever possible. */
  mode?: FormulaMode
  /** Rows per worksheet; lowered only by tests of the splitting. */
  maxRows?: number
  liveMaxEpochs?: number
  liveMaxColumns?: number
  liveMaxFormulaChars?: number
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
  /** The named cells of the optimizer's hyper-parameters and λ, in row PARAM_ROWS.optimizer. */
  hyperCells: HyperCell[]
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
export const PARAM_ROWS = { title: 1, architecture: 2, activations: 3, loss: 4, bias: 5, run: 6, cells: 7, optimizer: 8, eta: 9, samples: 10 } as const

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

function refsFor(run: RunPlan): FormulaRefs {
  const inputs = run.layout.shape.layers[0]
  const abs = (col: number, row: number): string => `$${columnLetter(col)}$${row}`
  const named = Object.fromEntries(run.hyperCells.map((c) => [c.key, c.name]))
  return {
    // t of the update that produced epoch row e (0-based, sheet row headerRow + 1 + e) is e.
    hyper: excelHypers(run.etaName, { ...named, t: [`(ROW()-${run.headerRow + 1})`] }),
    input: (s: number, i: number): Token => abs(1 + i, PARAM_ROWS.samples + 1 + s),
    target: (s: number, k: number): Token => abs(1 + inputs + k, PARAM_ROWS.samples + 1 + s),
    samples: (set, kind, index) => {
      const col = 1 + (kind === 'input' ? 0 : inputs) + index
      const [from, count] = set === 'train' ? [0, run.config.samples.length] : [run.config.samples.length, run.config.test.length]
      return `${abs(col, PARAM_ROWS.samples + 1 + from)}:${abs(col, PARAM_ROWS.samples + from + count)}`
    },
  }
}

/** Why a run is values only when a formula would be longer than Excel takes (found while building it, or once rendered). */
const TOO_LONG = `values only: a formula of this network would be longer than Excel's ${EXCEL_MAX_FORMULA_LENGTH} characters`

/** The Excel formulas of a run's columns, or why there are none: one would be longer than Excel takes (deep, wide networks), or a column is missing. */
function formulasOf(run: RunPlan): (ColumnFormula | null)[] | string {
  try {
    return columnFormulas(run.config, run.layout, refsFor(run))
  } catch (e) {
    if (e instanceof FormulaTooLong) return TOO_LONG
    if (e instanceof NotLive) return e.message
    throw e
  }
}

/** Characters as megabytes, two digits. */
const mb = (chars: number): string => String(Number((chars / 1e6).toPrecision(2)))

/** The longest formula of a run, and the characters of the formulas of its last row (≈ every row's). */
function formulaSizes(compiled: (Compiled | null)[], lastRow: number): { longest: number; perRow: number } {
  let longest = 0
  let perRow = 0
  for (const c of compiled)
    for (const f of c ? [c.first, c.second, c.rest] : [])
      if (f) {
        const n = renderAt(f, lastRow).length
        longest = Math.max(longest, n)
        if (f === c!.rest) perRow += n
      }
  return { longest, perRow }
}

function planRun(trained: TrainedRun[], index: number, options: Required<WorkbookOptions>): { run: RunPlan; compiled: (Compiled | null)[] | null } {
  const { config, layout, table, stopReason } = trained[index]
  const configs = trained.map((r) => r.config)
  const epochs = table.rowCount
  const headerRow = headerRowFor(config.samples.length + config.test.length)
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
    hyperCells: hyperCellsOf(config, index),
    headerRow,
    rowsPerSheet,
  }
  const columns = layout.names.length
  let reason = ''
  const S = config.samples.length
  if (options.mode === 'values') reason = 'values only, as requested'
  else if (isMiniBatch(config)) reason = `values only: mini-batches of ${config.batchSize} (each epoch's updates use shuffled batches, which a row of the sheet does not hold)`
  else if (S > LIVE_MAX_SAMPLES) reason = `values only: live formulas are written up to ${LIVE_MAX_SAMPLES.toLocaleString('en-US')} training samples (this run has ${S.toLocaleString('en-US')})`
  else if (parts > 1) reason = `values only: ${epochs.toLocaleString('en-US')} epochs are split across ${parts} sheets (a sheet holds ${options.maxRows.toLocaleString('en-US')} rows)`
  else if (options.mode === 'auto' && epochs > options.liveMaxEpochs) reason = `values only: live formulas are written up to ${options.liveMaxEpochs.toLocaleString('en-US')} epochs`
  else if (options.mode === 'auto' && columns > options.liveMaxColumns) reason = `values only: live formulas are written up to ${options.liveMaxColumns} columns`
  let compiled: (Compiled | null)[] | null = null
  if (!reason) {
    const formulas = formulasOf(run)
    if (typeof formulas === 'string') reason = formulas
    else {
      compiled = formulas.map((f) => f && { first: f.first && compile(f.first), second: compile(f.second), rest: compile(f.rest) })
      const { longest, perRow } = formulaSizes(compiled, headerRow + epochs)
      if (longest > EXCEL_MAX_FORMULA_LENGTH) reason = TOO_LONG
      // Sums over many samples written inline make every row's formulas long: bound the file, not just a formula.
      else if (options.mode === 'auto' && perRow * epochs > options.liveMaxFormulaChars)
        reason = `values only: the live formulas would take ${mb(perRow * epochs)} MB (live formulas are written up to ${mb(options.liveMaxFormulaChars)} MB)`
      if (reason) compiled = null
    }
  }
  run.live = compiled !== null
  const values = compiled ? layout.names.filter((_, c) => !compiled![c]) : []
  const valuesNote = values.length ? `; ${values.join(', ')} are the engine's numbers (they need samples the sheet has no columns for)` : ''
  run.cellsNote = run.live ? `live formulas: change η, a hyper-parameter or a yellow cell (an input, a target, an initial weight) and the sheet recomputes${valuesNote}` : reason
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
    { r: PARAM_ROWS.optimizer, cells: optimizerCells(config, run.hyperCells) },
    line(PARAM_ROWS.eta, 'η =', { v: config.learningRate, s: 'param' }),
  ]
  const inputs = layout.shape.layers[0]
  const outputs = layout.shape.layers[layout.shape.depth]
  const head: (CellSpec | null)[] = [text('sample', 'header')]
  for (let i = 0; i < inputs; i++) head.push(text(`i${i + 1}`, 'header'))
  for (let k = 0; k < outputs; k++) head.push(text(`t${k + 1}`, 'header'))
  rows.push({ r: PARAM_ROWS.samples, cells: head })
  // The held-out samples follow the training samples, labelled test1, test2, …
  ;[...config.samples, ...config.test].forEach((sample, s) => {
    const n = config.samples.length
    const cells: (CellSpec | null)[] = [text(s < n ? `s${s + 1}` : `test${s - n + 1}`, 'label')]
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

function runSheets(run: RunPlan, compiled: (Compiled | null)[] | null, title: string): SheetSpec[] {
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
      names: part === 0 ? [{ name: run.etaName, row: PARAM_ROWS.eta, col: 1 }, ...run.hyperCells.map((h) => ({ name: h.name, row: PARAM_ROWS.optimizer, col: h.col }))] : [],
      rowCount: headerRow + count,
      *rows() {
        yield* parameterRows(run, title, part)
        for (let e = from; e < from + count; e++) {
          const r = headerRow + 1 + e - from
          const cells: CellSpec[] = new Array(styles.length)
          for (let c = 0; c < styles.length; c++) {
            const v = table.get(e, c)
            const k = compiled?.[c]
            const f = k ? (e === 0 ? k.first : e === 1 ? k.second : k.rest) : null
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
  const planned = formulasOf(run)
  const formulas = typeof planned === 'string' ? null : planned
  const names = run.layout.names
  const example = run.headerRow + 2
  const rows: RowSpec[] = []
  const note = (v: string): void => {
    rows.push({ r: rows.length + 1, cells: [{ v, s: 'note' }] })
  }
  rows.push({ r: 1, cells: [{ v: 'How every column is computed', s: 'title' }] })
  optimizerNotes(run.config, run.hyperCells, PARAM_ROWS).forEach(note)
  for (const r of runs) note(`${r.sheetNames.join(', ')} (${r.etaName}): ${r.cellsNote}.`)
  if (typeof planned === 'string') note(`No Excel formulas are shown: ${planned.replace(/^values only: /, '')}.`)
  rows.push({ r: rows.length + 2, cells: ['Column', 'Name', 'What it is', 'Formula in words', `Excel formula (${run.sheetNames[0]}, row ${example})`].map((v) => ({ v, s: 'header' as const })) })
  const top = rows[rows.length - 1].r
  const model = modelOf(run.config)
  const meanings = columnMeanings(run.config, run.layout)
  names.forEach((_, c) => {
    const words = columnFormula(run.layout, c, model)
    const f = formulas?.[c]
    const excel: CellSpec | null = f ? { v: '=' + renderAt(compile(f.second), example), s: 'text' } : formulas ? { v: "the engine's number", s: 'note' } : null
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
    liveMaxFormulaChars: options.liveMaxFormulaChars ?? LIVE_MAX_FORMULA_CHARS,
  }
  const planned = trained.map((_, i) => planRun(trained, i, opts))
  const runs = planned.map((p) => p.run)
  const sheets: SheetSpec[] = [summarySheet(runs, opts.maxRows)]
  planned.forEach((p) => sheets.push(...runSheets(p.run, p.compiled, `Backprop Lab — ${experiment.name} — η = ${p.run.config.learningRate}`)))
  sheets.push(formulasSheet(runs))
  return { experiment, runs, sheets, totalRows: sheets.reduce((n, s) => n + s.rowCount, 0) }
}
