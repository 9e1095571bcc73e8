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
    expect(store.problems['training.epochs']).toBe('enter a number')
    expect(store.trainBlockedReason).toBe('epochs: enter a number')
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
    // The explicit weights stay explicit: the sheet's eight where they still fit, i3's two drawn.
    const w = (store.experiment.init as { weights: number[] }).weights
    expect(w).toHaveLength(10)
    expect([w[0], w[1], w[3], w[4], ...w.slice(6)]).toEqual([0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55])
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

describe('the experiment store for a student (issue 16)', () => {
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
  const sheetWeights = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]

  it('says what to type: "enter a number", "too large (at most 100,000,000)", the editor\'s layer names', () => {
    const store = useExperimentStore()
    store.experiment.training.epochs = Number('1e999')
    expect(store.problems['training.epochs']).toBe('too large (at most 100,000,000)')
    store.experiment.training.epochs = 100_000_001
    expect(store.problems['training.epochs']).toBe('too large (at most 100,000,000)')
    store.experiment.training.epochs = 70
    store.setSampleValue(0, 'inputs', 0, NaN) // samples change by copy (stores/experiment.ts)
    expect(store.problems['samples[0].inputs[0]']).toBe('enter a number')
    expect(Object.values(store.problems).join(' ')).not.toMatch(/finite|got NaN/)
    store.setSampleValue(0, 'inputs', 0, 0.05) // samples change by copy (stores/experiment.ts)
    store.setLayerSize(1, NaN)
    expect(store.trainBlockedReason).toBe('Hidden: enter a number')
    store.setLayerSize(1, 2)
    store.addHiddenLayer()
    store.setLayerSize(2, 0)
    expect(store.trainBlockedReason).toMatch(/^Hidden 2: /)
  })

  it('warns, without blocking, that a target outside the output activation can never be reached', () => {
    const store = useExperimentStore()
    store.setSampleValue(0, 'targets', 0, 5) // samples change by copy (stores/experiment.ts)
    expect(store.warnings['samples[0].targets[0]']).toMatch(/t1 = 5 can never be reached: a sigmoid only gives values between 0 and 1/)
    expect(store.trainBlockedReason).toBeNull()
    store.setActivation(1, 'linear')
    expect(store.warnings).toEqual({})
  })

  it("keeps the sheet's weights through 2 → 3 → 2 hidden neurons, drawing only the new ones, and says so", () => {
    const store = useExperimentStore()
    store.setLayerSize(1, 3)
    const w = (store.experiment.init as { weights: number[] }).weights
    expect(w).toHaveLength(12)
    expect([w[0], w[1], w[2], w[3], w[6], w[7], w[9], w[10]]).toEqual(sheetWeights)
    expect(store.initNotice).toBe('Kept 8 initial weights where their position still exists; drew 4 new ones (Xavier).')
    store.setLayerSize(1, 2)
    expect((store.experiment.init as { weights: number[] }).weights).toEqual(sheetWeights)
    // A seeded draw follows the shape from its seed, and says so.
    store.redraw('xavier')
    store.setLayerSize(1, 4)
    expect(store.initNotice).toMatch(/^Seeded initial weights: drawn again for the new shape from seed \d+\.$/)
    store.setLayerSize(1, 2)
    store.setInitialWeight(0, 0.15)
    ;(store.experiment.init as { weights: number[] }).weights = [...sheetWeights]
    // Typing a size goes through an empty field (NaN): the weights wait for a size.
    store.setLayerSize(1, NaN)
    store.setLayerSize(1, 2)
    expect((store.experiment.init as { weights: number[] }).weights).toEqual(sheetWeights)
  })

  it('undoes and redoes every edit of the experiment, one action at a time', async () => {
    const store = useExperimentStore()
    store.setLayerSize(1, 3)
    await tick()
    store.experiment.training.learningRates = [0.1, 0.5]
    await tick()
    store.setSampleValue(0, 'inputs', 0, NaN) // samples change by copy (stores/experiment.ts)
    await tick()
    store.undo()
    await tick()
    expect(store.experiment.samples[0].inputs[0]).toBe(0.05)
    store.redo()
    await tick()
    expect(store.experiment.samples[0].inputs[0]).toBeNaN()
    store.undo()
    await tick()
    store.undo()
    await tick()
    expect(store.experiment.training.learningRates).toEqual([0.5])
    store.undo()
    await tick()
    expect(store.experiment.network.layers).toEqual([2, 2, 2])
    expect((store.experiment.init as { weights: number[] }).weights).toEqual(sheetWeights)
    expect(store.canUndo).toBe(false)
    store.redo()
    await tick()
    expect(store.experiment.network.layers).toEqual([2, 3, 2])
    // A new edit drops what could be redone; opening a document starts a new history.
    store.experiment.name = 'x'
    await tick()
    expect(store.canRedo).toBe(false)
    store.replace(defaultExperiment())
    await tick()
    expect(store.canUndo).toBe(false)
  })

  it('undoes typing in one field as one edit; leaving the field ends it', async () => {
    const store = useExperimentStore()
    const input = document.createElement('input')
    input.dataset.field = 'training.epochs'
    document.body.append(input)
    input.focus()
    for (const epochs of [7, 70, 700]) {
      store.experiment.training.epochs = epochs
      await tick()
    }
    input.blur()
    input.focus()
    store.experiment.training.epochs = 7000
    await tick()
    store.undo()
    await tick()
    expect(store.experiment.training.epochs).toBe(700)
    store.undo()
    await tick()
    expect(store.experiment.training.epochs).toBe(70)
    expect(store.canUndo).toBe(false)
    input.remove()
  })
})
