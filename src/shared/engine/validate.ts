import { LIMITS } from '../limits'
import { shapeOf } from './shape'
import { LOSS_DEFS } from '../math/losses'
import { ACTIVATIONS, BIAS_MODES, LOSSES, type Loss, type NetworkSpec, type RunConfig, type Sample } from './types'

// The limits live in one table (../limits) that the file format and the IPC contract read too.
export { LIMITS }

/** A configuration the engine refuses; `field` is the path in the experiment file. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string
  ) {
    super(`${field}: ${problem}`)
    this.name = 'ConfigError'
  }
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const isWhole = (x: unknown, min: number): x is number => Number.isInteger(x) && (x as number) >= min

/** First problem of a network description, or null. */
export function networkProblem(network: NetworkSpec): ConfigError | null {
  const { layers, activations, bias } = network
  if (!Array.isArray(layers) || layers.length < 2) return new ConfigError('network.layers', 'needs at least an input and an output layer')
  if (layers.length > LIMITS.maxLayers) return new ConfigError('network.layers', `has ${layers.length} layers; at most ${LIMITS.maxLayers} are supported`)
  for (let l = 0; l < layers.length; l++) {
    if (!isWhole(layers[l], 1)) return new ConfigError(`network.layers[${l}]`, `must be a whole number of neurons ≥ 1 (got ${String(layers[l])})`)
    if (layers[l] > LIMITS.maxNeurons) return new ConfigError(`network.layers[${l}]`, `${layers[l]} neurons; at most ${LIMITS.maxNeurons} a layer`)
  }
  if (!Array.isArray(activations) || activations.length !== layers.length - 1)
    return new ConfigError('network.activations', `needs one activation per non-input layer (${layers.length - 1}), got ${Array.isArray(activations) ? activations.length : 'none'}`)
  for (let l = 0; l < activations.length; l++) {
    if (!ACTIVATIONS.includes(activations[l])) return new ConfigError(`network.activations[${l}]`, `unknown activation "${String(activations[l])}" (one of ${ACTIVATIONS.join(', ')})`)
    if (activations[l] === 'softmax' && l !== activations.length - 1) return new ConfigError(`network.activations[${l}]`, 'softmax is only allowed on the output layer')
  }
  if (!BIAS_MODES.includes(bias)) return new ConfigError('network.bias', `unknown bias mode "${String(bias)}" (one of ${BIAS_MODES.join(', ')})`)
  return null
}

function vectorProblem(field: string, v: unknown, length: number): ConfigError | null {
  if (!Array.isArray(v)) return new ConfigError(field, 'must be a list of numbers')
  if (v.length !== length) return new ConfigError(field, `needs ${length} values, got ${v.length}`)
  const bad = v.findIndex((x) => !isFiniteNumber(x))
  return bad < 0 ? null : new ConfigError(`${field}[${bad}]`, `must be a finite number (got ${String(v[bad])})`)
}

/** First problem of sample `s` for a network with these layers and loss (both valid), or null. */
export function sampleProblem(sample: Sample, s: number, layers: readonly number[], loss: Loss): ConfigError | null {
  const p = vectorProblem(`samples[${s}].inputs`, sample?.inputs, layers[0]) ?? vectorProblem(`samples[${s}].targets`, sample?.targets, layers[layers.length - 1])
  if (p) return p
  if ((loss === 'bce' || loss === 'softmax-ce') && sample.targets.some((t) => t < 0 || t > 1))
    return new ConfigError(`samples[${s}].targets`, 'cross-entropy targets must lie between 0 and 1')
  return null
}

/** First problem of a run configuration, or null when the engine can run it. */
export function runConfigProblem(c: RunConfig): ConfigError | null {
  return jobProblem(c) ?? rateProblem(c.learningRate)
}

/** A learning rate the engine can train with, or its problem (cheap: runs of one job differ only here). */
export function rateProblem(learningRate: unknown, field = 'training.learningRate'): ConfigError | null {
  return isFiniteNumber(learningRate) && learningRate > 0 ? null : new ConfigError(field, `must be a finite number > 0 (got ${String(learningRate)})`)
}

/**
 * First problem of everything but the learning rate: what the runs of one job share. Checked once
 * per job, so validating an experiment costs its size, not its size times its learning rates.
 */
export function jobProblem(
  c: Omit<RunConfig, 'learningRate' | 'weights' | 'biases'> & {
    /** null: drawn from a seed, right by construction (not drawn just to be checked). */
    weights: readonly unknown[] | null
    biases: readonly unknown[] | null
  }
): ConfigError | null {
  const net = networkProblem(c.network)
  if (net) return net
  const { layers, activations, bias } = c.network
  const outAct = activations[activations.length - 1]
  if (!LOSSES.includes(c.loss)) return new ConfigError('loss', `unknown loss "${String(c.loss)}" (one of ${LOSSES.join(', ')})`)
  const { output, label } = LOSS_DEFS[c.loss]
  if (output && outAct !== output) return new ConfigError('loss', `${label} needs a ${output} output layer`)
  if (outAct === 'softmax' && layers[layers.length - 1] < 2) return new ConfigError('network.activations', 'softmax needs at least two outputs')
  if (!Array.isArray(c.samples) || c.samples.length === 0) return new ConfigError('samples', 'needs at least one sample')
  if (c.samples.length > LIMITS.maxSamples) return new ConfigError('samples', `${c.samples.length} samples; at most ${LIMITS.maxSamples}`)
  for (let s = 0; s < c.samples.length; s++) {
    const p = sampleProblem(c.samples[s], s, layers, c.loss)
    if (p) return p
  }
  const shape = shapeOf(layers)
  const w = c.weights && vectorProblem('init.weights', c.weights, shape.weightCount)
  if (w) return w
  const b = c.biases && vectorProblem('init.biases', c.biases, bias === 'none' ? 0 : shape.neuronCount)
  if (b) return b
  if (!isFiniteNumber(c.momentum) || c.momentum < 0 || c.momentum >= 1) return new ConfigError('training.momentum', `must be ≥ 0 and < 1 (got ${String(c.momentum)})`)
  if (!isWhole(c.epochs, 1) || c.epochs > LIMITS.maxEpochs) return new ConfigError('training.epochs', `must be a whole number from 1 to ${LIMITS.maxEpochs} (got ${String(c.epochs)})`)
  if (!isFiniteNumber(c.stopBelow) || c.stopBelow < 0) return new ConfigError('training.stopBelow', `must be a finite number ≥ 0 (got ${String(c.stopBelow)})`)
  return null
}

export function assertRunConfig(c: RunConfig): void {
  const problem = runConfigProblem(c)
  if (problem) throw problem
}
