import type { ColumnLayout } from '@shared/engine/columns'
import type { RunView } from '../stores/training'

/**
 * The weights and biases an epoch-table row starts from, as flat wN and bN arrays (the engine's
 * order): the diagram and the decision boundary show a selected epoch with them. Biases are null
 * when the network has none.
 */
function rowParameters(layout: ColumnLayout, row: Float64Array): { weights: Float64Array; biases: Float64Array | null } {
  const { shape, at } = layout
  const hasBias = at.bias[1] >= 0
  const weights = new Float64Array(shape.weightCount)
  const biases = new Float64Array(shape.neuronCount)
  for (let l = 1; l <= shape.depth; l++) {
    const n = shape.layers[l] * shape.layers[l - 1]
    weights.set(row.subarray(at.weight[l], at.weight[l] + n), shape.weightOffset[l])
    if (hasBias) biases.set(row.subarray(at.bias[l], at.bias[l] + shape.layers[l]), shape.neuronOffset[l])
  }
  return { weights, biases: hasBias ? biases : null }
}

/**
 * The parameters a view shows, and where they come from: the initial ones when there is no run;
 * the selected epoch's row (with the row) once the run has it; else the run's live ones. Each view
 * words its own caption.
 */
export type ShownParameters<R> =
  | { from: 'initial'; weights: ArrayLike<number>; biases: ArrayLike<number> }
  | { from: 'row'; run: R; epoch: number; row: Float64Array; weights: Float64Array; biases: Float64Array | null }
  | { from: 'live'; run: R; weights: Float64Array; biases: Float64Array }

type ShownRow<R> = Extract<ShownParameters<R>, { from: 'row' }>

/**
 * The selected row each run was last shown with. A row never changes once it is there, so the same
 * run and epoch give the same object: views that follow the live numbers (a tick while training) see
 * nothing new, and the row is copied once, not on each tick.
 */
const lastRow = new WeakMap<object, { epoch: number; value: ShownRow<unknown> }>()

export function shownParameters<R extends Pick<RunView, 'layout' | 'table' | 'weights' | 'biases'>>(
  run: R | null,
  selectedEpoch: number | null,
  initial: { weights: ArrayLike<number>; biases: ArrayLike<number> } | null
): ShownParameters<R> | null {
  if (!run) return initial && { from: 'initial', weights: initial.weights, biases: initial.biases }
  if (selectedEpoch !== null && selectedEpoch < run.table.rowCount) {
    const last = lastRow.get(run)
    if (last?.epoch === selectedEpoch) return last.value as ShownRow<R>
    const row = run.table.row(selectedEpoch)
    const value: ShownRow<R> = { from: 'row', run, epoch: selectedEpoch, row, ...rowParameters(run.layout, row) }
    lastRow.set(run, { epoch: selectedEpoch, value })
    return value
  }
  return { from: 'live', run, weights: run.weights, biases: run.biases }
}
