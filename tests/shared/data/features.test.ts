import { describe, expect, it } from 'vitest'
import { applyFeatures, FEATURE_DEFINITIONS, FEATURES, featuresProblem, featureValues } from '../../../src/shared/data/features'

describe('features', () => {
  it('computes each feature of (x1, x2) = (0.5, −2)', () => {
    expect(featureValues([...FEATURES], [0.5, -2])).toStrictEqual([0.5, -2, 0.25, 4, -1, Math.sin(0.5), Math.sin(-2)])
    expect(featureValues(['sin(x2)', 'x1'], [3, Math.PI / 2])).toStrictEqual([1, 3])
  })

  it('has a label and TeX for every feature', () => {
    for (const f of FEATURES) expect(FEATURE_DEFINITIONS[f].label.length * FEATURE_DEFINITIONS[f].tex.length).toBeGreaterThan(0)
  })

  it('refuses inputs that are not 2-D', () => {
    expect(() => featureValues(['x1'], [1, 2, 3])).toThrow('features need 2 raw inputs (x1, x2), got 3')
    expect(featuresProblem(['x1'], 3)).toBe('apply to 2 raw inputs (x1, x2); the samples have 3')
    expect(featuresProblem([], 2)).toBe('needs at least one feature')
    expect(featuresProblem(['x1', 'x2', 'x1'], 2)).toBe('lists "x1" twice')
    expect(featuresProblem(['x1*x2'], 2)).toBeNull()
  })

  it('applyFeatures gives plain copies: the feature inputs, the same targets', () => {
    const samples = [{ inputs: [1, 2], targets: [0, 1] }]
    const out = applyFeatures(['x1*x2', 'x2^2'], samples)
    expect(out).toStrictEqual([{ inputs: [2, 4], targets: [0, 1] }])
    out[0].targets[0] = 9
    expect(samples[0].targets).toEqual([0, 1])
    const raw = applyFeatures(undefined, samples)
    expect(raw).toStrictEqual(samples)
    expect(raw[0].inputs).not.toBe(samples[0].inputs)
  })
})
