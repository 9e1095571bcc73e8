import type { RunConfig } from '../engine/types'
import { HYPERS, OPTIMIZER_DEFS, optimizerText, REGULARIZATION_DEFS, type Hyper } from '../math/optimizers'
import type { CellSpec } from './workbook'

/**
 * The optimizer in a run sheet's parameters block (row 8: its name, then each hyper-parameter the
 * update uses as a label and a named yellow cell) and on the Formulas sheet (its update in words).
 */

/** A named hyper-parameter cell: its label left of it, its value (0-based column) in the optimizer's row. */
export interface HyperCell {
  key: Hyper | 'lambda'
  name: string
  label: string
  value: number
  col: number
}

/** The optimizer's hyper-parameters and λ as named cells `mu_1`, `beta1_1`, `lambda_1`, … in pairs from column C. */
export function hyperCellsOf(config: RunConfig, index: number): HyperCell[] {
  const { optimizer, regularization } = config
  const cells: Omit<HyperCell, 'col'>[] = OPTIMIZER_DEFS[optimizer.kind].hypers.map((h) => ({ key: h, name: `${HYPERS[h].excelName}_${index + 1}`, label: `${HYPERS[h].symbol} =`, value: optimizer[h] }))
  if (regularization.kind !== 'none') cells.push({ key: 'lambda', name: `lambda_${index + 1}`, label: `λ (${REGULARIZATION_DEFS[regularization.kind].label}) =`, value: regularization.rate })
  return cells.map((c, i) => ({ ...c, col: 3 + 2 * i }))
}

/** The optimizer's row: its name (and the regularization), then each hyper-parameter's label and named value. */
export function optimizerCells(config: RunConfig, hyperCells: readonly HyperCell[]): (CellSpec | null)[] {
  const { optimizer, regularization } = config
  const regNote = regularization.kind === 'none' ? '' : `, ${REGULARIZATION_DEFS[regularization.kind].label} on the weights`
  const cells: (CellSpec | null)[] = [
    { v: 'Optimizer', s: 'label' },
    { v: OPTIMIZER_DEFS[optimizer.kind].label + regNote, s: 'text' },
  ]
  for (const h of hyperCells) {
    cells[h.col - 1] = { v: h.label, s: 'label' }
    cells[h.col] = { v: h.value, s: 'param' }
  }
  return cells
}

/** The Formulas sheet's notes on what a row holds, the step, the penalty and the named cells. */
export function optimizerNotes(config: RunConfig, hyperCells: readonly HyperCell[], rows: { eta: number; optimizer: number }): string[] {
  const { optimizer, regularization } = config
  const opt = OPTIMIZER_DEFS[optimizer.kind]
  const reg = REGULARIZATION_DEFS[regularization.kind]
  const state = opt.state.length ? `, then the optimizer's state (${opt.state.map((x) => `${x}_w1, …`).join(' ')}) after the step that led to it (0 in the first row)` : ''
  const named = hyperCells.map((h) => `${h.label.replace(/ =$/, '')} is ${h.name.replace(/_1$/, '_1, …')}`).join(', ')
  return [
    `Row k below the header of a run sheet is epoch k: the parameters at its start, its forward pass, its loss and its gradients${state}.`,
    `The step (${opt.label}, PyTorch's definition; g = ∂E/∂θ of the row before${regularization.kind === 'none' ? '' : ` + ${reg.gradText('w')} for a weight`}, t = the row's epoch − 1): ${optimizerText(optimizer.kind).join('; ')}.`,
    ...(regularization.kind === 'none' ? [] : [`penalty = ${reg.penaltyText}, shown beside E_tot, not added to it.`]),
    `η is the named cell eta_1, eta_2, … (B${rows.eta} of each run sheet)${named ? `; in row ${rows.optimizer}, ${named}` : ''}.`,
  ]
}
