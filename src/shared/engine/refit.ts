import { shapeOf } from './shape'

/**
 * Carries initial weights and biases across a change of architecture: every weight whose position
 * (its layer, destination and source neuron) still exists keeps its value; only new positions take
 * a fresh value from `drawn` (a draw for the new shape). `layerOf(l)` gives the old index of new
 * neuron layer `l`, or −1 for a layer that is new.
 */
export interface Refit {
  weights: number[]
  biases: number[]
  kept: number
  drawnCount: number
}

export function refitParameters(
  oldLayers: readonly number[],
  newLayers: readonly number[],
  layerOf: (l: number) => number,
  old: { weights: readonly number[]; biases?: readonly number[] },
  drawn: { weights: readonly number[]; biases: readonly number[] }
): Refit {
  const before = shapeOf(oldLayers)
  const after = shapeOf(newLayers)
  const weights: number[] = []
  let kept = 0
  for (let l = 1; l <= after.depth; l++) {
    const m0 = layerOf(l - 1)
    const m1 = layerOf(l)
    const same = m0 >= 0 && m1 === m0 + 1
    for (let to = 0; to < newLayers[l]; to++)
      for (let from = 0; from < newLayers[l - 1]; from++) {
        const i = after.weightOffset[l] + to * newLayers[l - 1] + from
        if (same && to < oldLayers[m1] && from < oldLayers[m0]) {
          weights[i] = old.weights[before.weightOffset[m1] + to * oldLayers[m0] + from]
          kept++
        } else weights[i] = drawn.weights[i]
      }
  }
  // A bias belongs to a neuron: it stays with the neuron, and a new neuron starts at 0 (as the sheet's).
  const biases: number[] = []
  for (let l = 1; l <= after.depth; l++) {
    const m = layerOf(l)
    for (let j = 0; j < newLayers[l]; j++) {
      const b = m >= 1 && j < oldLayers[m] ? old.biases?.[before.neuronOffset[m] + j] : undefined
      biases.push(b ?? 0)
    }
  }
  return { weights, biases, kept, drawnCount: after.weightCount - kept }
}
