import { biasOwner, shapeOf, weightEnds, type Shape } from './shape'
import type { NetworkSpec, Sample } from './types'

/**
 * Column naming and order of the epoch table — the sheet's, generalised.
 *
 * For the 2-2-2 network with one sample and no biases this is exactly the sheet:
 *   t1 t2 i1 i2 w1 … w4 h1 out_h1 h2 out_h2 w5 … w8 o1 out_o1 o2 out_o2 E1 E2 E_tot ∂E/∂w1 … ∂E/∂w8
 *
 * The scheme (documented in docs/columns.md):
 * - targets t1..tK, then inputs i1..iI;
 * - then layer by layer: that layer's weights wN (destination major, source minor), its biases bN,
 *   then for each neuron its net input and activation: `h1`/`out_h1` with one hidden layer,
 *   `h2_3`/`out_h2_3` (hidden layer 2, neuron 3) with several, `o1`/`out_o1` for outputs;
 * - per-output loss terms E1..EK, the epoch's E_tot;
 * - gradients ∂E/∂w1.. then ∂E/∂b1.. (trained biases only).
 * With several samples, every per-sample column gets the suffix `_s1`, `_s2`, … and E_tot and the
 * gradients are means over samples.
 */

export type ColumnKind = 'target' | 'input' | 'weight' | 'bias' | 'net' | 'out' | 'error' | 'loss' | 'gradW' | 'gradB'

export interface Column {
  name: string
  kind: ColumnKind
  /** Layer of the neuron/weight/bias (1 = first layer after the inputs); 0 for inputs, targets, errors, loss. */
  layer: number
  /** 0-based index within its family: weight w, bias b, non-input neuron n, input i, output k. */
  index: number
  /** 0-based sample for per-sample columns, −1 otherwise. */
  sample: number
}

export interface ColumnLayout {
  columns: Column[]
  names: string[]
  shape: Shape
  sampleCount: number
  lossColumn: number
  /** Where the row buffer holds each family, for the trainer's copy loops. */
  at: {
    target: number[] // per sample
    input: number[] // per sample
    weight: number[] // per layer (1..depth), index 0 unused
    bias: number[] // per layer, −1 without biases
    neuron: number[][] // [layer][sample] → first of (net, out) pairs
    error: number // first E column; sample-major
    gradW: number
    gradB: number // −1 unless biases are trained
  }
}

export const gradientName = (param: string): string => `∂E/∂${param}`

/** Name of non-input neuron j (0-based) of layer l: h1, h2_3, o1. */
export function neuronName(shape: Shape, l: number, j: number): string {
  if (l === shape.depth) return `o${j + 1}`
  return shape.depth === 2 ? `h${j + 1}` : `h${l}_${j + 1}`
}

export function columnLayout(network: NetworkSpec, sampleCount: number): ColumnLayout {
  const shape = shapeOf(network.layers)
  const { layers, depth } = shape
  const K = layers[depth]
  const columns: Column[] = []
  const sfx = (s: number): string => (sampleCount > 1 ? `_s${s + 1}` : '')
  const add = (name: string, kind: ColumnKind, layer: number, index: number, sample = -1): void => {
    columns.push({ name, kind, layer, index, sample })
  }
  const at: ColumnLayout['at'] = { target: [], input: [], weight: [0], bias: [-1], neuron: [[]], error: 0, gradW: 0, gradB: -1 }

  for (let s = 0; s < sampleCount; s++) {
    at.target.push(columns.length)
    for (let k = 0; k < K; k++) add(`t${k + 1}${sfx(s)}`, 'target', 0, k, s)
  }
  for (let s = 0; s < sampleCount; s++) {
    at.input.push(columns.length)
    for (let i = 0; i < layers[0]; i++) add(`i${i + 1}${sfx(s)}`, 'input', 0, i, s)
  }
  for (let l = 1; l <= depth; l++) {
    at.weight.push(columns.length)
    const w0 = shape.weightOffset[l]
    for (let k = 0; k < layers[l] * layers[l - 1]; k++) add(`w${w0 + k + 1}`, 'weight', l, w0 + k)
    at.bias.push(network.bias === 'none' ? -1 : columns.length)
    const n0 = shape.neuronOffset[l]
    if (network.bias !== 'none') for (let j = 0; j < layers[l]; j++) add(`b${n0 + j + 1}`, 'bias', l, n0 + j)
    at.neuron.push([])
    for (let s = 0; s < sampleCount; s++) {
      at.neuron[l].push(columns.length)
      for (let j = 0; j < layers[l]; j++) {
        const name = neuronName(shape, l, j)
        add(`${name}${sfx(s)}`, 'net', l, n0 + j, s)
        add(`out_${name}${sfx(s)}`, 'out', l, n0 + j, s)
      }
    }
  }
  at.error = columns.length
  for (let s = 0; s < sampleCount; s++) for (let k = 0; k < K; k++) add(`E${k + 1}${sfx(s)}`, 'error', 0, k, s)
  const lossColumn = columns.length
  add('E_tot', 'loss', 0, 0)
  at.gradW = columns.length
  for (let w = 0; w < shape.weightCount; w++) add(gradientName(`w${w + 1}`), 'gradW', 0, w)
  if (network.bias === 'trained') {
    at.gradB = columns.length
    for (let b = 0; b < shape.neuronCount; b++) add(gradientName(`b${b + 1}`), 'gradB', 0, b)
  }
  // Gradient columns know their layer too, for grouping in the table.
  for (const c of columns) {
    if (c.kind === 'gradW') c.layer = weightEnds(shape, c.index).layer
    if (c.kind === 'gradB') c.layer = biasOwner(shape, c.index).layer
  }
  return { columns, names: columns.map((c) => c.name), shape, sampleCount, lossColumn, at }
}

/**
 * The columns whose value is the same in every epoch, a run's inputs and targets, with that value:
 * the table keeps them once, and a worker's batches leave them out (the receiver has the config).
 */
export function constantColumns(layout: ColumnLayout, samples: readonly Sample[]): Map<number, number> {
  const constants = new Map<number, number>()
  layout.columns.forEach((c, col) => {
    if (c.kind === 'input') constants.set(col, samples[c.sample < 0 ? 0 : c.sample].inputs[c.index])
    if (c.kind === 'target') constants.set(col, samples[c.sample < 0 ? 0 : c.sample].targets[c.index])
  })
  return constants
}
