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

export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number]
/** Fully resolved: every hyper-parameter has its value (PyTorch defaults filled in). */
export interface Optimizer {
  kind: OptimizerKind
  momentum: number
  rho: number
  beta1: number
  beta2: number
  epsilon: number
}
export const REGULARIZATION_KINDS = ['none', 'l1', 'l2'] as const
export interface Regularization {
  kind: (typeof REGULARIZATION_KINDS)[number]
  rate: number
}

export interface NetworkSpec {
  /** Neurons per layer, input layer first: [2, 2, 2] is the sheet's network. */
  layers: number[]
  /** One per non-input layer. */
  activations: Activation[]
  bias: BiasMode
}

export interface Sample {
  inputs: number[]
  targets: number[]
}

/** One training run: one learning rate, fully resolved initial parameters. */
export interface RunConfig {
  network: NetworkSpec
  loss: Loss
  samples: Sample[]
  /** Flat, in wN order: layer by layer, destination neuron major, source neuron minor. */
  weights: number[]
  /** Flat, in bN order: layer by layer, neuron by neuron. Empty when bias is 'none'. */
  biases: number[]
  learningRate: number
  momentum: number
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
