/** Everything the engine is configured with. Plain data, so it crosses workers and IPC unchanged. */

import type { Activation } from '../math/activations'
import type { Loss } from '../math/losses'

// Each activation and loss is defined once, in src/shared/math.
export { ACTIVATIONS, type Activation } from '../math/activations'
export { LOSSES, type Loss } from '../math/losses'

export const BIAS_MODES = ['none', 'trained', 'fixed'] as const
export type BiasMode = (typeof BIAS_MODES)[number]

export const INIT_SCHEMES = ['xavier', 'he', 'uniform'] as const
export type InitScheme = (typeof INIT_SCHEMES)[number]

export interface NetworkSpec {
  /** Neurons per layer, input layer first: [2, 2, 2] is the sheet's network. */
  layers: number[]
  /** One per non-input layer. */
  activations: Activation[]
  bias: BiasMode
}

export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number]

/** Fully resolved: every hyper-parameter has its value (PyTorch's defaults filled in, see OPTIMIZER_DEFAULTS). */
export interface Optimizer {
  kind: OptimizerKind
  /** μ of momentum and nesterov. */
  momentum: number
  /** ρ of rmsprop. */
  rho: number
  /** β1, β2 of adam. */
  beta1: number
  beta2: number
  /** ε of rmsprop and adam. */
  epsilon: number
}

/** PyTorch's defaults, the values a file or the editor leaves out. */
export const OPTIMIZER_DEFAULTS: Omit<Optimizer, 'kind'> = { momentum: 0.9, rho: 0.99, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }

/** An optimizer of `kind` with the given hyper-parameters and the defaults for the rest. */
export function optimizerOf(kind: OptimizerKind, given: Partial<Omit<Optimizer, 'kind'>> = {}): Optimizer {
  return { kind, ...OPTIMIZER_DEFAULTS, ...given }
}

/**
 * μ of the momentum step the sheet's own formulas spell (xlsx, column formulas, walk-through):
 * version 2's `training.momentum`; 0 for plain sgd. Legacy momentum (v ← μv − ηg; θ ← θ + v) and
 * PyTorch's (v ← μv + g; θ ← θ − ηv) give the same iterates: v_legacy = −η·v_torch.
 */
export function sheetMomentum(optimizer: Optimizer): number {
  return optimizer.kind === 'momentum' ? optimizer.momentum : 0
}

export const REGULARIZATION_KINDS = ['none', 'l1', 'l2'] as const
export type RegularizationKind = (typeof REGULARIZATION_KINDS)[number]

/** On weights only, never biases: λ·sign(w) (l1) or λ·w (l2) joins each weight's gradient in the step. */
export interface Regularization {
  kind: RegularizationKind
  /** λ */
  rate: number
}

export const NO_REGULARIZATION: Regularization = { kind: 'none', rate: 0 }

export interface Sample {
  inputs: number[]
  targets: number[]
}

/** One training run: one learning rate, fully resolved initial parameters. */
export interface RunConfig {
  network: NetworkSpec
  loss: Loss
  /** The TRAINING set, inputs already feature-transformed (what the input layer sees). */
  samples: Sample[]
  /** The held-out set, same shape; [] when none. Never trained on. */
  test: Sample[]
  /** Flat, in wN order: layer by layer, destination neuron major, source neuron minor. */
  weights: number[]
  /** Flat, in bN order: layer by layer, neuron by neuron. Empty when bias is 'none'. */
  biases: number[]
  learningRate: number
  /** 0 = full batch, unshuffled (also when ≥ samples.length); else shuffled mini-batches of this size each epoch. */
  batchSize: number
  /** Seeds the per-epoch shuffle (uint32). */
  shuffleSeed: number
  optimizer: Optimizer
  regularization: Regularization
  epochs: number
  /** Stop once E_tot falls below this; 0 never stops early. */
  stopBelow: number
}

export type StopKind = 'epochs' | 'threshold' | 'diverged' | 'stopped' | 'error'

export interface StopReason {
  kind: StopKind
  /** Epochs completed and recorded. */
  epochs: number
  message: string
}

/** The sheet's way of training: full batch, plain gradient descent, no test set, no regularization. */
export function sheetTraining(): Pick<RunConfig, 'test' | 'batchSize' | 'shuffleSeed' | 'optimizer' | 'regularization'> {
  return { test: [], batchSize: 0, shuffleSeed: 0, optimizer: optimizerOf('sgd'), regularization: { ...NO_REGULARIZATION } }
}
