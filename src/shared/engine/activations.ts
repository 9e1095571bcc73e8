import type { Activation } from './types'

export const LEAKY_SLOPE = 0.01

/** σ(x) without overflow: exp() only ever sees a non-positive argument. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/** Applies an element-wise activation (softmax is handled per layer by the network). */
export function activate(kind: Activation, x: number): number {
  switch (kind) {
    case 'sigmoid':
      return sigmoid(x)
    case 'tanh':
      return Math.tanh(x)
    case 'relu':
      return x > 0 ? x : 0
    case 'leaky-relu':
      return x > 0 ? x : LEAKY_SLOPE * x
    case 'linear':
    case 'softmax':
      return x
  }
}

/** f'(net), written with the activation's output where that is how the sheet writes it (σ' = out·(1 − out)). */
export function derivative(kind: Activation, net: number, out: number): number {
  switch (kind) {
    case 'sigmoid':
      return out * (1 - out)
    case 'tanh':
      return 1 - out * out
    case 'relu':
      return net > 0 ? 1 : 0
    case 'leaky-relu':
      return net > 0 ? 1 : LEAKY_SLOPE
    case 'linear':
    case 'softmax':
      return 1
  }
}

/** softmax over z[from, from+n) into y[from, ...], shifted by the maximum so exp() cannot overflow. */
export function softmax(z: Float64Array, y: Float64Array, from: number, n: number): void {
  let max = -Infinity
  for (let k = 0; k < n; k++) max = Math.max(max, z[from + k])
  let sum = 0
  for (let k = 0; k < n; k++) {
    const e = Math.exp(z[from + k] - max)
    y[from + k] = e
    sum += e
  }
  for (let k = 0; k < n; k++) y[from + k] /= sum
}
