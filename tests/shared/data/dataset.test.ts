import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { DataSpecSchema, DEFAULT_DATA_SPEC, generateDataset, targetShapeProblem, type DataSpec } from '../../../src/shared/data/dataset'
import { GENERATORS } from '../../../src/shared/data/generators'
import { issueLine } from '../../../src/shared/issue-line'

const spec = (edit: Partial<DataSpec> = {}): DataSpec => ({ ...DEFAULT_DATA_SPEC, ...edit })
const key = (s: { inputs: number[] }) => s.inputs.join(',')

describe('generateDataset', () => {
  it.each(GENERATORS)('%s: count split by testFraction, the same samples for the same spec', (generator) => {
    const a = generateDataset(spec({ generator, count: 200, noise: 10, testFraction: 0.3 }), 1)
    expect(a.samples).toHaveLength(140)
    expect(a.test).toHaveLength(60)
    expect(generateDataset(spec({ generator, count: 200, noise: 10, testFraction: 0.3 }), 1)).toStrictEqual(a)
    expect(a.samples.every((s) => s.inputs.length === 2 && s.targets.length === 1)).toBe(true)
  })

  it('changing the test fraction keeps the points; only the split moves', () => {
    const all = (d: ReturnType<typeof generateDataset>) => [...d.samples, ...d.test].map(key).sort()
    const a = generateDataset(spec({ generator: 'spiral', testFraction: 0.1 }), 1)
    const b = generateDataset(spec({ generator: 'spiral', testFraction: 0.7 }), 1)
    expect(all(b)).toEqual(all(a))
    expect(b.test).toHaveLength(140)
  })

  it('testFraction 0 holds nothing out', () => {
    expect(generateDataset(spec({ testFraction: 0 }), 1).test).toEqual([])
  })

  it('classification: 0/1 targets with one output, one-hot [1 − y, y] with two', () => {
    const one = generateDataset(spec({ generator: 'xor' }), 1)
    const two = generateDataset(spec({ generator: 'xor' }), 2)
    expect(two.samples.map((s) => s.inputs)).toStrictEqual(one.samples.map((s) => s.inputs))
    two.samples.forEach((s, i) => expect(s.targets).toStrictEqual([1 - one.samples[i].targets[0], one.samples[i].targets[0]]))
  })

  it('refuses an output layer that does not fit the targets', () => {
    expect(targetShapeProblem('circle', 3)).toBe('"circle" has 2 classes: the output layer needs 1 neuron (0/1) or 2 (one-hot), not 3')
    expect(targetShapeProblem('plane', 2)).toBe('"plane" gives one number per point: the output layer needs 1 neuron, not 2')
    expect(() => generateDataset(spec({ generator: 'multi-gauss' }), 2)).toThrow('needs 1 neuron, not 2')
  })
})

describe('DataSpecSchema', () => {
  const check = (data: unknown) => {
    const r = v.safeParse(DataSpecSchema, data, { abortEarly: true })
    return r.success ? 'ok' : issueLine(r.issues[0])
  }
  it('accepts the ranges at their edges and defaults testFraction to 0', () => {
    expect(check({ generator: 'circle', count: 10, noise: 0, seed: 0, testFraction: 0 })).toBe('ok')
    expect(check({ generator: 'spiral', count: 2000, noise: 50, seed: 4294967295, testFraction: 0.9 })).toBe('ok')
    expect(v.parse(DataSpecSchema, { generator: 'xor', count: 10, noise: 0, seed: 0 }).testFraction).toBe(0)
  })
  it('names the field and the limit of a value out of range', () => {
    expect(check({ generator: 'moons', count: 10, noise: 0, seed: 0 })).toBe(
      'generator: must be one of circle, xor, gauss, spiral, plane, multi-gauss'
    )
    expect(check({ generator: 'xor', count: 2001, noise: 0, seed: 0 })).toBe('count: must be at most 2000')
    expect(check({ generator: 'xor', count: 9, noise: 0, seed: 0 })).toBe('count: must be at least 10')
    expect(check({ generator: 'xor', count: 10.5, noise: 0, seed: 0 })).toBe('count: must be a whole number')
    expect(check({ generator: 'xor', count: 10, noise: 51, seed: 0 })).toBe('noise: must be at most 50 (percent)')
    expect(check({ generator: 'xor', count: 10, noise: 0, seed: -1 })).toBe('seed: must be ≥ 0')
    expect(check({ generator: 'xor', count: 10, noise: 0, seed: 0, testFraction: 0.95 })).toBe('testFraction: must be at most 0.9')
    expect(check({ generator: 'xor', count: 10, noise: 0 })).toBe('seed: is missing')
    expect(check('circle')).toBe('file: must be an object with a generator, count, noise and seed')
  })
})
