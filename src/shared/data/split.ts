import type { Random } from './generators'

/** How many of `total` items a test fraction holds out (rounded to the nearest whole item). */
export const testCount = (total: number, testFraction: number): number => Math.round(total * testFraction)

/**
 * A seeded train/test split: the items are shuffled (Fisher–Yates, from `random`) and the last
 * testCount(n, testFraction) of them become the test set. A larger fraction takes more from the
 * same shuffled order, so for one seed every training set is a prefix of the smaller fractions'.
 */
export function splitSamples<T>(items: readonly T[], testFraction: number, random: Random): { train: T[]; test: T[] } {
  const order = [...items]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const item = order[i]
    order[i] = order[j]
    order[j] = item
  }
  const trainCount = order.length - testCount(order.length, testFraction)
  return { train: order.slice(0, trainCount), test: order.slice(trainCount) }
}
