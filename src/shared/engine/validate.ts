import { LIMITS } from '../limits'
import { shapeOf } from './shape'
import { LOSS_DEFS } from '../math/losses'
import { ACTIVATIONS, BIAS_MODES, LOSSES, OPTIMIZER_KINDS, REGULARIZATION_KINDS, type Loss, type NetworkSpec, type Optimizer, type Regularization, type RunConfig, type Sample } from './types'

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

/** First problem of sample `s` of `list` (samples or test) for a network with these layers and loss (both valid), or null. */
export function sampleProblem(sample: Sample, s: number, layers: readonly number[], loss: Loss, list = 'samples'): ConfigError | null {
  const p = vectorProblem(`${list}[${s}].inputs`, sample?.inputs, layers[0]) ?? vectorProblem(`${list}[${s}].targets`, sample?.targets, layers[layers.length - 1])
  if (p) return p
  if ((loss === 'bce' || loss === 'softmax-ce') && sample.targets.some((t) => t < 0 || t > 1))
    return new ConfigError(`${list}[${s}].targets`, 'cross-entropy targets must lie between 0 and 1')
  return null
}

/** First problem of a sample list (the training set or the test set), or null. */
function samplesProblem(list: 'samples' | 'test', samples: unknown, layers: readonly number[], loss: Loss, min: number): ConfigError | null {
  if (!Array.isArray(samples) || samples.length < min) return new ConfigError(list, min ? 'needs at least one sample' : 'must be a list of samples')
  if (samples.length > LIMITS.maxSamples) return new ConfigError(list, `${samples.length} samples; at most ${LIMITS.maxSamples}`)
  for (let s = 0; s < samples.length; s++) {
    const p = sampleProblem(samples[s] as Sample, s, layers, loss, list)
    if (p) return p
  }
  return null
}

const fraction = (x: unknown): boolean => isFiniteNumber(x) && x >= 0 && x < 1

/** First problem of an optimizer (every hyper-parameter given), or null. */
export function optimizerProblem(o: Optimizer): ConfigError | null {
  const field = 'training.optimizer'
  if (!o || !OPTIMIZER_KINDS.includes(o.kind)) return new ConfigError(`${field}.kind`, `unknown optimizer "${String(o?.kind)}" (one of ${OPTIMIZER_KINDS.join(', ')})`)
  for (const key of ['momentum', 'rho', 'beta1', 'beta2'] as const)
    if (!fraction(o[key])) return new ConfigError(`${field}.${key}`, `must be ≥ 0 and < 1 (got ${String(o[key])})`)
  if (!isFiniteNumber(o.epsilon) || o.epsilon <= 0) return new ConfigError(`${field}.epsilon`, `must be a finite number > 0 (got ${String(o.epsilon)})`)
  return null
}

/** First problem of a regularization, or null. */
export function regularizationProblem(r: Regularization): ConfigError | null {
  const field = 'training.regularization'
  if (!r || !REGULARIZATION_KINDS.includes(r.kind)) return new ConfigError(`${field}.kind`, `unknown regularization "${String(r?.kind)}" (one of ${REGULARIZATION_KINDS.join(', ')})`)
  if (!isFiniteNumber(r.rate) || r.rate < 0) return new ConfigError(`${field}.rate`, `must be a finite number ≥ 0 (got ${String(r.rate)})`)
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
  const data = samplesProblem('samples', c.samples, layers, c.loss, 1) ?? samplesProblem('test', c.test, layers, c.loss, 0)
  if (data) return data
  const shape = shapeOf(layers)
  const w = c.weights && vectorProblem('init.weights', c.weights, shape.weightCount)
  if (w) return w
  const b = c.biases && vectorProblem('init.biases', c.biases, bias === 'none' ? 0 : shape.neuronCount)
  if (b) return b
  const step = optimizerProblem(c.optimizer) ?? regularizationProblem(c.regularization)
  if (step) return step
  if (!isWhole(c.batchSize, 0) || c.batchSize > LIMITS.maxSamples) return new ConfigError('training.batchSize', `must be a whole number from 0 (full batch) to ${LIMITS.maxSamples} (got ${String(c.batchSize)})`)
  if (!isWhole(c.shuffleSeed, 0) || c.shuffleSeed > LIMITS.maxSeed) return new ConfigError('training.shuffleSeed', `must be a whole number from 0 to ${LIMITS.maxSeed} (got ${String(c.shuffleSeed)})`)
  if (!isWhole(c.epochs, 1) || c.epochs > LIMITS.maxEpochs) return new ConfigError('training.epochs', `must be a whole number from 1 to ${LIMITS.maxEpochs} (got ${String(c.epochs)})`)
  if (!isFiniteNumber(c.stopBelow) || c.stopBelow < 0) return new ConfigError('training.stopBelow', `must be a finite number ≥ 0 (got ${String(c.stopBelow)})`)
  return null
}

export function assertRunConfig(c: RunConfig): void {
  const problem = runConfigProblem(c)
  if (problem) throw problem
}
