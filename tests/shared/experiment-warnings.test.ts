import { describe, expect, it } from 'vitest'
import { experimentWarnings } from '../../src/shared/experiment-problems'
import { defaultExperiment, withGeneratedData, type Experiment } from '../../src/shared/experiment'

/** A 2-2-1 sigmoid net whose 2,000 samples come from the multi-gauss generator (labels in [−1, 1]). */
function multiGauss(count: number): Experiment {
  const exp = defaultExperiment()
  return withGeneratedData({
    ...exp,
    network: { ...exp.network, layers: [2, 2, 1] },
    init: { seed: 1, scheme: 'xavier' },
    data: { generator: 'multi-gauss', count, noise: 0, seed: 1, testFraction: 0 },
  })
}

describe('experimentWarnings', () => {
  it('gives one warning for every unreachable target of 2,000 generated samples, naming the count and the first sample', () => {
    const exp = multiGauss(2000)
    expect(exp.samples.length).toBe(2000)
    const below = exp.samples.map((s, i) => ({ i, t: s.targets[0] })).filter(({ t }) => t < 0)
    expect(below.length).toBeGreaterThan(100) // the generator's negative bumps: a sigmoid never gives them
    const first = below[0]

    const warnings = experimentWarnings(exp)
    expect(Object.keys(warnings)).toEqual([`samples[${first.i}].targets[0]`])
    expect(warnings[`samples[${first.i}].targets[0]`]).toBe(
      `${below.length.toLocaleString()} targets in ${below.length.toLocaleString()} samples can never be reached, ` +
        `the first t1 = ${first.t} of sample ${first.i + 1}: a sigmoid only gives values between 0 and 1, ` +
        'so out_o1 can only come close to 0 and E_tot never reaches 0'
    )
  })

  it('counts targets and samples apart, and words a single unreachable target as before', () => {
    const exp = defaultExperiment()
    exp.samples = [
      { inputs: [0, 0], targets: [0.5, 0.5] },
      { inputs: [0, 0], targets: [2, -1] },
      { inputs: [0, 0], targets: [3, 0.5] },
    ]
    expect(experimentWarnings(exp)).toEqual({
      'samples[1].targets[0]':
        '3 targets in 2 samples can never be reached, the first t1 = 2 of sample 2: a sigmoid only gives values between 0 and 1, so out_o1 can only come close to 1 and E_tot never reaches 0',
    })
    exp.samples = [exp.samples[0], { inputs: [0, 0], targets: [0.5, 5] }]
    expect(experimentWarnings(exp)).toEqual({
      'samples[1].targets[1]': 't2 = 5 can never be reached: a sigmoid only gives values between 0 and 1, so out_o2 can only come close to 1 and E_tot never reaches 0',
    })
    exp.network = { ...exp.network, activations: ['sigmoid', 'linear'] }
    expect(experimentWarnings(exp)).toEqual({})
  })
  it('warns for the test samples too, in their own entry and words', () => {
    const exp = multiGauss(2000)
    const split = withGeneratedData({ ...exp, data: { ...exp.data!, testFraction: 0.5 } })
    expect(split.test.length).toBeGreaterThan(0)
    const warnings = experimentWarnings(split)
    const keys = Object.keys(warnings)
    expect(keys).toHaveLength(2)
    const test = keys.find((k) => k.startsWith('test['))!
    const i = Number(/^test\[(\d+)\]/.exec(test)![1])
    expect(split.test[i].targets[0]).toBeLessThan(0)
    expect(split.test.slice(0, i).every((s) => s.targets[0] >= 0)).toBe(true)
    const below = split.test.filter((s) => s.targets[0] < 0).length
    expect(warnings[test]).toBe(
      `${below.toLocaleString()} targets in ${below.toLocaleString()} test samples can never be reached, ` +
        `the first t1 = ${split.test[i].targets[0]} of test sample ${i + 1}: a sigmoid only gives values between 0 and 1, ` +
        'so out_o1 can only come close to 0 and E_tot never reaches 0'
    )
  })
})
