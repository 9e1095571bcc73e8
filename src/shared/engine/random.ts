import { shapeOf } from './shape'
import type { InitScheme, NetworkSpec } from './types'

/**
 * mulberry32: 32-bit integer arithmetic only, so the same seed gives the same bits on every
 * platform. Draws are uniform; no Math.log/sin (Box–Muller), whose last bits vary by engine.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Initial weights and biases drawn from a seeded generator, layer by layer in wN then bN order.
 * xavier: U(−√(6/(fanIn+fanOut)), +…); he: U(−√(6/fanIn), +…); uniform: U(−range, +range).
 * Biases start at 0 for xavier and he, and are drawn from U(−range, +range) for uniform.
 */
export function drawParameters(
  network: NetworkSpec,
  init: { seed: number; scheme: InitScheme; range?: number }
): { weights: number[]; biases: number[] } {
  const random = seededRandom(init.seed)
  const { layers, depth } = shapeOf(network.layers)
  const range = init.range ?? 0.5
  const weights: number[] = []
  for (let l = 1; l <= depth; l++) {
    const limit = init.scheme === 'xavier' ? Math.sqrt(6 / (layers[l - 1] + layers[l])) : init.scheme === 'he' ? Math.sqrt(6 / layers[l - 1]) : range
    for (let k = 0; k < layers[l] * layers[l - 1]; k++) weights.push((2 * random() - 1) * limit)
  }
  const biases: number[] = []
  if (network.bias !== 'none')
    for (let l = 1; l <= depth; l++)
      for (let j = 0; j < layers[l]; j++) biases.push(init.scheme === 'uniform' ? (2 * random() - 1) * range : 0)
  return { weights, biases }
}
