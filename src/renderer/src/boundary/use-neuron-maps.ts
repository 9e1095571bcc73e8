import { computed, type ComputedRef } from 'vue'
import { rangeOf } from '@shared/boundary-colors'
import { useBoundarySource } from './use-boundary'

/** Cells per side of a neuron's map: a few dozen pixels on screen need no more. */
export const NEURON_MAP_SIZE = 32

export interface NeuronMap {
  values: Float32Array
  range: [number, number]
}

/**
 * The maps of the hidden neurons for the parameters the diagram shows: one BoundaryGrid pass per
 * change of `params` (the diagram's own, already throttled while training), every hidden neuron's
 * cells and colour range. Null when there is no 2-D input plane to draw. Each map is made once per
 * pass, and `at` hands out that same one: a map given anew on each of the diagram's renders (a
 * pointer moving over it) would repaint every neuron's canvas.
 */
export function useNeuronMaps(params: ComputedRef<{ weights: ArrayLike<number>; biases: ArrayLike<number> | null } | null>) {
  const src = useBoundarySource()
  const grid = src.gridOf(NEURON_MAP_SIZE)
  const maps = computed<{ version: number; at: (layer: number, j: number) => NeuronMap | null } | null>((old) => {
    const g = grid.value
    const p = params.value
    if (!g || !p) return null
    g.evaluate(p.weights, p.biases ?? [])
    const { depth, layers, neuronOffset } = g.shape
    const activations = src.network.value.activations
    // The hidden layers' maps, by layer (the input and output layers have none).
    const hidden: NeuronMap[][] = []
    for (let l = 1; l < depth; l++)
      hidden[l] = Array.from({ length: layers[l] }, (_, j) => {
        const values = g.neuron(neuronOffset[l] + j)
        return { values, range: rangeOf(values, activations[l - 1]) }
      })
    return {
      version: (old?.version ?? 0) + 1,
      at: (layer, j) => hidden[layer]?.[j] ?? null,
    }
  })
  return maps
}
