import type { Activation } from './types'

export const LEAKY_SLOPE = 0.01

/** σ(x) without overflow: exp() only ever sees a non-positive argument. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/** Small integers for the hot loop, where a numeric switch is cheaper than comparing names. */
export const ACTIVATION_CODE: Record<Activation, number> = { sigmoid: 0, tanh: 1, relu: 2, 'leaky-relu': 3, linear: 4, softmax: 5 }

/** Applies an element-wise activation by code (softmax is applied per layer by the network). */
export function activateCode(code: number, x: number): number {
  switch (code) {
    case 0:
      return sigmoid(x)
    case 1:
      return Math.tanh(x)
    case 2:
      return x > 0 ? x : 0
    case 3:
      return x > 0 ? x : LEAKY_SLOPE * x
    default:
      return x
  }
}

/** f'(net) by code, written with the output where the sheet does (σ' = out·(1 − out)). */
export function derivativeCode(code: number, net: number, out: number): number {
  switch (code) {
    case 0:
      return out * (1 - out)
    case 1:
      return 1 - out * out
    case 2:
      return net > 0 ? 1 : 0
    case 3:
      return net > 0 ? 1 : LEAKY_SLOPE
    default:
      return 1
  }
}

export const activate = (kind: Activation, x: number): number => activateCode(ACTIVATION_CODE[kind], x)
export const derivative = (kind: Activation, net: number, out: number): number => derivativeCode(ACTIVATION_CODE[kind], net, out)

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
