import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/engine/random'
import { splitSamples, testCount } from '../../../src/shared/data/split'

const items = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('splitSamples', () => {
  it('holds out round(n × fraction) items, the rest train', () => {
    for (const [n, f, test] of [
      [10, 0, 0],
      [10, 0.9, 9],
      [200, 0.5, 100],
      [11, 0.5, 6],
      [2000, 0.3, 600],
      [15, 0.1, 2],
    ] as const) {
      expect(testCount(n, f)).toBe(test)
      const { train, test: held } = splitSamples(items(n), f, seededRandom(1))
      expect(held).toHaveLength(test)
      expect(train).toHaveLength(n - test)
    }
  })

  it('is a partition of the items: nothing lost, nothing twice', () => {
    const { train, test } = splitSamples(items(500), 0.3, seededRandom(9))
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(items(500))
  })

  it('is deterministic for a seed and shuffles: other seeds give other splits', () => {
    const a = splitSamples(items(100), 0.2, seededRandom(3))
    expect(splitSamples(items(100), 0.2, seededRandom(3))).toStrictEqual(a)
    expect(splitSamples(items(100), 0.2, seededRandom(4))).not.toStrictEqual(a)
    expect(a.train).not.toEqual(items(80))
  })

  it('a larger fraction takes more from the same order: the training set is a prefix', () => {
    const small = splitSamples(items(300), 0.1, seededRandom(5))
    const large = splitSamples(items(300), 0.6, seededRandom(5))
    expect(small.train.slice(0, large.train.length)).toEqual(large.train)
  })

  it('leaves the input list as it was', () => {
    const list = items(50)
    splitSamples(list, 0.5, seededRandom(2))
    expect(list).toEqual(items(50))
  })
})
