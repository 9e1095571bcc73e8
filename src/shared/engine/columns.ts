import { LIMITS } from '../limits'
import { OPTIMIZER_DEFS } from '../math/optimizers'
import { isClassification } from './metrics'
import { biasOwner, shapeOf, weightEnds, type Shape } from './shape'
import type { NetworkSpec, RunConfig, Sample } from './types'

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
 * - penalty (with regularization), E_test (with a test set), acc_train and acc_test (classification);
 * - gradients ∂E/∂w1.. then ∂E/∂b1.. (trained biases only);
 * - the optimizer's state per trained parameter: v_w1.. (momentum, nesterov), s_w1.. (rmsprop),
 *   m_w1.. then v_w1.. (adam).
 * With several samples (at most LIMITS.tableSamples), every per-sample column gets the suffix `_s1`,
 * `_s2`, …; with more, the per-sample columns are the first training sample's, without a suffix.
 * E_tot and the gradients are always means over the whole training set.
 */

export type ColumnKind =
  | 'target'
  | 'input'
  | 'weight'
  | 'bias'
  | 'net'
  | 'out'
  | 'error'
  | 'loss'
  | 'penalty'
  | 'testLoss'
  | 'accTrain'
  | 'accTest'
  | 'gradW'
  | 'gradB'
  | 'state'

/** The columns beyond the sheet's, each present or not (see layoutOf). */
export interface LayoutExtras {
  penalty?: boolean
  test?: boolean
  accuracy?: boolean
  /** The optimizer's state symbols, in column order: [] for sgd, ['v'], ['s'], ['m', 'v']. */
  state?: readonly string[]
}

export interface Column {
  name: string
  kind: ColumnKind
  /**
   * Layer of the neuron/weight/bias or of a gradient's parameter (1 = first layer after the inputs);
   * 0 for every other column: inputs, targets, errors, loss, measures, optimizer state.
   */
  layer: number
  /**
   * 0-based index within its family: weight w, bias b, non-input neuron n, input i, output k; for
   * optimizer state, slot · P + p (P trained parameters: weights, then trained biases).
   */
  index: number
  /** 0-based sample for per-sample columns, −1 otherwise. */
  sample: number
}

export interface ColumnLayout {
  columns: Column[]
  names: string[]
  shape: Shape
  /** Training samples the per-sample columns show: all of them up to LIMITS.tableSamples, else the first. */
  sampleCount: number
  /** Training samples E_tot and the gradients are means over. */
  trainingSamples: number
  lossColumn: number
  /** Column of penalty, E_test, acc_train, acc_test; −1 where the run has none. */
  penaltyColumn: number
  testLossColumn: number
  accTrainColumn: number
  accTestColumn: number
  /** The optimizer's state symbols (see LayoutExtras.state). */
  stateNames: readonly string[]
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
    state: number // first optimizer-state column, −1 without
  }
}

export const gradientName = (param: string): string => `∂E/∂${param}`

/** Name of non-input neuron j (0-based) of layer l: h1, h2_3, o1. */
export function neuronName(shape: Shape, l: number, j: number): string {
  if (l === shape.depth) return `o${j + 1}`
  return shape.depth === 2 ? `h${j + 1}` : `h${l}_${j + 1}`
}

/** Training samples whose per-sample columns the table shows (§ "Several samples" in docs/columns.md). */
export const shownSamples = (trainingSamples: number): number => (trainingSamples <= LIMITS.tableSamples ? trainingSamples : 1)

/** The layout of a run's epoch table: which extra columns it has follows from its configuration. */
export function layoutOf(config: RunConfig): ColumnLayout {
  return columnLayout(config.network, config.samples.length, layoutExtras(config))
}

/** The extra columns of a run's table, from its configuration (layoutOf; cost.ts counts them without a layout). */
export function layoutExtras(config: Pick<RunConfig, 'regularization' | 'samples' | 'test' | 'optimizer'>): Required<LayoutExtras> {
  return {
    penalty: config.regularization.kind !== 'none',
    test: config.test.length > 0,
    accuracy: isClassification(config.samples, config.test),
    state: OPTIMIZER_DEFS[config.optimizer.kind].state,
  }
}

/** Which measure columns the extras give, in column order: penalty, E_test, acc_train, acc_test (accuracy with a test set). */
const measures = (extras: LayoutExtras): boolean[] => [!!extras.penalty, !!extras.test, !!extras.accuracy, !!(extras.accuracy && extras.test)]

/** How many measure columns the extras give (cost.ts, before any layout). */
export const measureCount = (extras: LayoutExtras): number => measures(extras).filter(Boolean).length

export function columnLayout(network: NetworkSpec, trainingSamples: number, extras: LayoutExtras = {}): ColumnLayout {
  const shape = shapeOf(network.layers)
  const { layers, depth } = shape
  const K = layers[depth]
  const sampleCount = shownSamples(trainingSamples)
  const columns: Column[] = []
  const sfx = (s: number): string => (sampleCount > 1 ? `_s${s + 1}` : '')
  const add = (name: string, kind: ColumnKind, layer: number, index: number, sample = -1): number => {
    columns.push({ name, kind, layer, index, sample })
    return columns.length - 1
  }
  const at: ColumnLayout['at'] = { target: [], input: [], weight: [0], bias: [-1], neuron: [[]], error: 0, gradW: 0, gradB: -1, state: -1 }

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
  const lossColumn = add('E_tot', 'loss', 0, 0)
  const [penalty, test, accTrain, accTest] = measures(extras)
  const penaltyColumn = penalty ? add('penalty', 'penalty', 0, 0) : -1
  const testLossColumn = test ? add('E_test', 'testLoss', 0, 0) : -1
  const accTrainColumn = accTrain ? add('acc_train', 'accTrain', 0, 0) : -1
  const accTestColumn = accTest ? add('acc_test', 'accTest', 0, 0) : -1
  at.gradW = columns.length
  for (let w = 0; w < shape.weightCount; w++) add(gradientName(`w${w + 1}`), 'gradW', 0, w)
  const trained = network.bias === 'trained'
  if (trained) {
    at.gradB = columns.length
    for (let b = 0; b < shape.neuronCount; b++) add(gradientName(`b${b + 1}`), 'gradB', 0, b)
  }
  const stateNames = extras.state ?? []
  const P = shape.weightCount + (trained ? shape.neuronCount : 0)
  if (stateNames.length) at.state = columns.length
  stateNames.forEach((symbol, slot) => {
    for (let w = 0; w < shape.weightCount; w++) add(`${symbol}_w${w + 1}`, 'state', 0, slot * P + w)
    if (trained) for (let b = 0; b < shape.neuronCount; b++) add(`${symbol}_b${b + 1}`, 'state', 0, slot * P + shape.weightCount + b)
  })
  // Gradient columns know their parameter's layer too.
  for (const c of columns) {
    if (c.kind === 'gradW') c.layer = weightEnds(shape, c.index).layer
    if (c.kind === 'gradB') c.layer = biasOwner(shape, c.index).layer
  }
  const names = columns.map((c) => c.name)
  return { columns, names, shape, sampleCount, trainingSamples, lossColumn, penaltyColumn, testLossColumn, accTrainColumn, accTestColumn, stateNames, at }
}

/**
 * The layout of a job that records only E_tot: that one column, the network's shape, and no
 * per-parameter positions (−1 / empty). Pure arithmetic: no name of the full table is made, so
 * the widest network the format accepts costs nothing to show as an E_tot series.
 */
export function lossOnlyLayout(network: NetworkSpec, trainingSamples: number): ColumnLayout {
  const shape = shapeOf(network.layers)
  const none = Array.from({ length: shape.depth + 1 }, () => -1)
  // at.bias[l] ≥ 0 says the network has biases (the views ask it); nothing is read there.
  const bias = network.bias === 'none' ? none : none.map((_, l) => (l ? 0 : -1))
  return {
    columns: [{ name: 'E_tot', kind: 'loss', layer: 0, index: 0, sample: -1 }],
    names: ['E_tot'],
    shape,
    sampleCount: shownSamples(trainingSamples),
    trainingSamples,
    lossColumn: 0,
    penaltyColumn: -1,
    testLossColumn: -1,
    accTrainColumn: -1,
    accTestColumn: -1,
    stateNames: [],
    at: { target: [], input: [], weight: none, bias, neuron: none.map(() => []), error: -1, gradW: -1, gradB: -1, state: -1 },
  }
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
