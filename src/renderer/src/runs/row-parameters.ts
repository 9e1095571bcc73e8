import type { ColumnLayout } from '@shared/engine/columns'

/**
 * The weights and biases an epoch-table row starts from, as flat wN and bN arrays (the engine's
 * order): the diagram and the decision boundary show a selected epoch with them. Biases are null
 * when the network has none.
 */
export function rowParameters(layout: ColumnLayout, row: Float64Array): { weights: Float64Array; biases: Float64Array | null } {
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
