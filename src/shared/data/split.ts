import { shuffle } from '../engine/batches'
import type { Random } from './generators'

/** How many of `total` items a test fraction holds out (rounded to the nearest whole item). */
export const testCount = (total: number, testFraction: number): number => Math.round(total * testFraction)

/**
 * A seeded train/test split: the items are shuffled (Fisher–Yates from `random`, the mini-batches'
 * shuffle, on their indices) and the last testCount(n, testFraction) of them become the test set. A
 * larger fraction takes more from the same shuffled order, so for one seed every training set is a
 * prefix of the smaller fractions'.
 */
export function splitSamples<T>(items: readonly T[], testFraction: number, random: Random): { train: T[]; test: T[] } {
  const indices = Uint32Array.from(items.keys())
  shuffle(indices, random)
  const order = Array.from(indices, (i) => items[i])
  const trainCount = order.length - testCount(order.length, testFraction)
  return { train: order.slice(0, trainCount), test: order.slice(trainCount) }
}
