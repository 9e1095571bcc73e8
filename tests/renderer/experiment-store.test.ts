// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { drawParameters } from '../../src/shared/engine/random'
import { runConfigProblem } from '../../src/shared/engine/validate'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'

beforeEach(() => setActivePinia(createPinia()))

describe('useExperimentStore', () => {
  it("starts with the sheet's experiment, ready to train", () => {
    const store = useExperimentStore()
    expect(store.problems).toEqual({})
    expect(store.trainBlockedReason).toBeNull()
    expect(store.configs).toEqual(runConfigs(defaultExperiment()))
  })

  it('flags a field that is not a number, and blocks Train with the reason', () => {
    const store = useExperimentStore()
    store.experiment.training.epochs = NaN
    expect(store.problems['training.epochs']).toBe('must be a number')
    expect(store.trainBlockedReason).toBe('epochs: must be a number')
    expect(store.configs).toEqual([])
  })

  it('reports several problems at once, each at its own field', () => {
    const store = useExperimentStore()
    store.setSampleValue(0, 'inputs', 1, NaN)
    store.experiment.training.learningRates = [0.5, -1]
    store.experiment.training.stopBelow = -2
    expect(Object.keys(store.problems).sort()).toEqual(['samples[0].inputs[1]', 'training.learningRates[1]', 'training.stopBelow'])
    expect(store.problems['training.learningRates[1]']).toBe('must be > 0')
  })

  it("uses the engine's own checks for what depends on the network", () => {
    const store = useExperimentStore()
    store.experiment.loss = 'softmax-ce'
    const engine = runConfigProblem({ ...runConfigs(defaultExperiment())[0], loss: 'softmax-ce' })
    expect(store.problems.loss).toBe(engine!.problem)
    expect(store.trainBlockedReason).toMatch(/^loss: softmax cross-entropy needs a softmax output layer/)
    store.experiment.loss = 'half-sse'
    ;(store.experiment.init as { weights: number[] }).weights.pop()
    expect(store.problems['init.weights']).toBe('needs 8 values, got 7')
  })

  it('keeps the experiment consistent when the network changes shape', () => {
    const store = useExperimentStore()
    store.setLayerSize(0, 3)
    expect(store.experiment.samples[0].inputs).toEqual([0.05, 0.1, 0])
    expect('seed' in store.experiment.init).toBe(true) // the 8 explicit weights no longer fit
    expect(store.problems).toEqual({})
    store.addHiddenLayer()
    expect(store.experiment.network.layers).toEqual([3, 2, 2, 2])
    expect(store.experiment.network.activations).toEqual(['sigmoid', 'sigmoid', 'sigmoid'])
    store.setBias('trained')
    expect(store.problems).toEqual({})
    expect(store.configs[0].biases).toHaveLength(6)
    store.removeHiddenLayer(1)
    expect(store.experiment.network.layers).toEqual([3, 2, 2])
    expect(store.problems).toEqual({})
  })

  it('draws seeded initial weights reproducibly and re-draws with a new seed', () => {
    const store = useExperimentStore()
    store.redraw('he')
    const init = store.experiment.init as { seed: number; scheme: string }
    expect(init.scheme).toBe('he')
    expect(store.configs[0].weights).toEqual(drawParameters(store.experiment.network, { seed: init.seed, scheme: 'he' }).weights)
    const before = store.configs[0].weights
    store.redraw()
    expect(store.configs[0].weights).not.toEqual(before)
  })

  it('editing one seeded weight keeps the others as drawn', () => {
    const store = useExperimentStore()
    store.redraw('xavier')
    const drawn = [...store.configs[0].weights]
    store.setInitialWeight(4, 0.75)
    expect('seed' in store.experiment.init).toBe(false)
    expect(store.configs[0].weights).toEqual(drawn.map((w, i) => (i === 4 ? 0.75 : w)))
  })

  it('takes samples pasted from a spreadsheet, and explains rows that do not fit', () => {
    const store = useExperimentStore()
    expect(store.pasteSamples('i1\ti2\tt1\tt2\n0\t0\t0\t1\n0\t1\t1\t0\r\n')).toBeNull()
    expect(store.experiment.samples).toEqual([
      { inputs: [0, 0], targets: [0, 1] },
      { inputs: [0, 1], targets: [1, 0] },
    ])
    expect(store.pasteSamples('1\t2\t3')).toBe('Row 1 has 3 values; each needs 2 inputs and 2 targets (4).')
    expect(store.experiment.samples).toHaveLength(2)
  })

  it('replace() takes a copy', () => {
    const store = useExperimentStore()
    const exp = defaultExperiment()
    store.replace(exp)
    exp.training.epochs = 5
    expect(store.experiment.training.epochs).toBe(70)
  })
})
