// @vitest-environment happy-dom
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ExperimentEditor from '../../src/renderer/src/components/ExperimentEditor.vue'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { DEFAULT_DATA_SPEC, featureValues, generateDataset, generatePoints, GENERATORS, isClassification } from '../../src/shared/data'
import { seededRandom } from '../../src/shared/engine/random'
import DatasetThumb from '../../src/renderer/src/components/editor/DatasetThumb.vue'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { documentSnapshot, sameSnapshot } from '../../src/renderer/src/document/snapshot'
import { optimizerText, REGULARIZATION_DEFS } from '../../src/shared/math/optimizers'
import { installTestHost } from './in-process-host'

enableAutoUnmount(afterEach)
beforeEach(() => {
  setActivePinia(createPinia())
  installTestHost()
})

describe('the data side of the experiment store', () => {
  it('choosing a generator makes the data generated: the spec, the samples it gives, a 2-input, 1-output net', () => {
    const store = useExperimentStore()
    store.chooseGenerator('spiral')
    const exp = store.experiment
    expect(exp.data).toEqual({ ...DEFAULT_DATA_SPEC, generator: 'spiral' })
    expect(exp.network.layers).toEqual([2, 2, 1]) // the sheet's 2 outputs are one-hot only for a softmax: 1 output
    const expected = generateDataset(exp.data!, 1)
    expect(exp.samples).toEqual(expected.samples)
    expect(exp.test).toEqual(expected.test)
    expect(store.problems).toEqual({})
    expect(store.configs[0].samples).toHaveLength(100)
    expect(store.configs[0].test).toHaveLength(100)
  })

  it('count, noise and test fraction regenerate from the same seed; Regenerate draws a new one', () => {
    const store = useExperimentStore()
    store.chooseGenerator('circle')
    store.setDataSpec({ count: 400 })
    expect(store.experiment.samples.length + store.experiment.test.length).toBe(400)
    store.setDataSpec({ testFraction: 0.25 })
    expect([store.experiment.samples.length, store.experiment.test.length]).toEqual([300, 100])
    const calm = store.experiment.samples
    store.setDataSpec({ noise: 30 })
    expect(store.experiment.samples).not.toEqual(calm)
    expect(store.experiment.samples).toEqual(generateDataset(store.experiment.data!, 1).samples)
    const seed = store.experiment.data!.seed
    store.newDataSeed()
    expect(store.experiment.data!.seed).not.toBe(seed)
    expect(store.experiment.samples).toEqual(generateDataset(store.experiment.data!, 1).samples)
    // A spec value out of range (a typed value mid-way) is flagged and generates nothing.
    const before = store.experiment.samples
    store.setDataSpec({ count: 5 })
    expect(store.experiment.samples).toBe(before)
    expect(store.problems['data.count']).toBe('must be at least 10')
  })

  it('two softmax outputs get one-hot targets; a regression generator sets one output', () => {
    const store = useExperimentStore()
    store.experiment.network.activations[1] = 'softmax'
    store.experiment.loss = 'softmax-ce'
    store.chooseGenerator('xor')
    expect(store.experiment.network.layers).toEqual([2, 2, 2])
    expect(store.experiment.samples.every((s) => s.targets.length === 2 && s.targets[0] + s.targets[1] === 1)).toBe(true)
    expect(store.problems).toEqual({})
    store.chooseGenerator('plane')
    expect(store.experiment.network.layers.at(-1)).toBe(1)
    expect(store.experiment.samples.every((s) => s.targets.length === 1)).toBe(true)
  })

  it('a hand edit of a generated sample makes the data explicit and keeps the points', () => {
    const store = useExperimentStore()
    store.chooseGenerator('gauss')
    const test = store.experiment.test
    store.setSampleValue(0, 'inputs', 0, 0.5)
    expect(store.experiment.data).toBeUndefined()
    expect(store.experiment.samples[0].inputs[0]).toBe(0.5)
    expect(store.experiment.test).toBe(test)
    expect(store.problems).toEqual({})
  })

  it('features: the input layer follows them, the runs see their values, raw x1, x2 again without them', () => {
    const store = useExperimentStore()
    store.chooseGenerator('circle')
    store.setFeatures(['x1', 'x2', 'x1^2', 'x2^2'])
    expect(store.experiment.features).toEqual(['x1', 'x2', 'x1^2', 'x2^2'])
    expect(store.experiment.network.layers[0]).toBe(4)
    expect(store.rawInputCount()).toBe(2)
    expect(store.problems).toEqual({})
    const raw = store.experiment.samples[0].inputs
    expect(runConfigs(store.experiment)[0].samples[0].inputs).toEqual(featureValues(['x1', 'x2', 'x1^2', 'x2^2'], raw))
    // The order is FEATURES', whatever the order of the clicks.
    store.setFeatures(['sin(x2)', 'x1'])
    expect(store.experiment.features).toEqual(['x1', 'sin(x2)'])
    // The input layer's own field does not change it.
    store.setLayerSize(0, 5)
    expect(store.experiment.network.layers[0]).toBe(2)
    store.setFeatures([])
    expect(store.problems.features).toBe('needs at least one feature')
    store.clearFeatures()
    expect(store.experiment.features).toBeUndefined()
    expect(store.experiment.network.layers[0]).toBe(2)
    expect(store.problems).toEqual({})
  })

  it('pasted rows take the raw inputs when features are chosen; imported samples replace data, features and the test set', () => {
    const store = useExperimentStore()
    store.chooseGenerator('circle')
    store.setFeatures(['x1', 'x2', 'x1*x2'])
    // Two raw inputs (x1, x2) and the target: the input layer stays the three features.
    expect(store.pasteSamples('0.5\t1\t1\n-1\t2\t0')).toBeNull()
    expect(store.experiment.data).toBeUndefined()
    expect(store.experiment.samples).toEqual([
      { inputs: [0.5, 1], targets: [1] },
      { inputs: [-1, 2], targets: [0] },
    ])
    expect(store.experiment.network.layers[0]).toBe(3)
    expect(store.problems).toEqual({})
    expect(store.configs[0].samples[1].inputs).toEqual([-1, 2, -2])

    store.chooseGenerator('xor')
    store.importSamples([{ inputs: [1, 2, 3], targets: [0.5] }])
    const exp = store.experiment
    expect([exp.data, exp.features, exp.test]).toEqual([undefined, undefined, []])
    expect([exp.network.layers[0], exp.network.layers.at(-1)]).toEqual([3, 1])
    expect(store.problems).toEqual({})
  })

  it('undo takes a generator choice back to the explicit samples', () => {
    const store = useExperimentStore()
    const sheet = store.experiment.samples
    store.chooseGenerator('xor')
    return Promise.resolve().then(() => {
      store.undo()
      expect(store.experiment.data).toBeUndefined()
      expect(store.experiment.samples).toEqual(sheet)
    })
  })
})

describe('the generator thumbnails', () => {
  it('draw each generator’s real output: its points where the data module puts them, coloured by class or value', () => {
    for (const generator of GENERATORS) {
      const wrapper = mount(DatasetThumb, { props: { generator } })
      const points = generatePoints(generator, 120, 0, seededRandom(1)).filter((p) => Math.abs(p.x1) <= 6 && Math.abs(p.x2) <= 6)
      const circles = wrapper.findAll('circle')
      expect(circles).toHaveLength(points.length)
      points.forEach((p, i) => {
        expect(Number(circles[i].attributes('cx'))).toBeCloseTo(((p.x1 + 6) / 12) * 48, 9)
        expect(Number(circles[i].attributes('cy'))).toBeCloseTo(48 - ((p.x2 + 6) / 12) * 48, 9)
      })
      const classes = new Set(circles.map((c) => c.attributes('class')))
      expect([...classes].every((c) => (isClassification(generator) ? /^c[01]$/ : /^r[0-4]$/).test(c!)), generator).toBe(true)
      expect(classes.size, generator).toBeGreaterThan(1)
    }
  })
})

describe('the editor’s data and training controls', () => {
  it('picks a generator from its picture, slides the count, ticks a feature', async () => {
    const wrapper = mount(ExperimentEditor)
    expect(Number(wrapper.find('[data-testid=generator-spiral] + svg').attributes('data-points'))).toBeGreaterThan(50)
    await wrapper.find('[data-testid=generator-xor]').trigger('change')
    expect(useExperimentStore().experiment.data?.generator).toBe('xor')
    await wrapper.find('[data-testid=data-count]').setValue('600')
    expect(wrapper.find('[data-testid=data-counts]').text()).toMatch(/^300 training, 300 test points · seed 1$/)
    await wrapper.find('[data-testid="feature-x1*x2"]').setValue(true)
    expect(useExperimentStore().experiment.features).toEqual(['x1', 'x2', 'x1*x2'])
    expect(wrapper.find<HTMLInputElement>('[data-testid=layer-size-0]').element.value).toBe('3')
    expect(wrapper.find('[data-testid=layer-size-0]').attributes('disabled')).toBeDefined()
    // A spec value the sliders cannot give (typed in a file) is said in one line naming the field.
    useExperimentStore().setDataSpec({ count: 5 })
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid=section-data] .problem').text()).toBe('data.count: must be at least 10')
    useExperimentStore().setDataSpec({ count: 600 })
    await wrapper.find('[data-testid=generator-none]').trigger('change')
    expect(useExperimentStore().experiment.data).toBeUndefined()
    expect(wrapper.find('[data-testid=data-count]').exists()).toBe(false)
  })

  it('optimizer: its hyper-parameters, each with the formula in its tooltip; a bad value names the field', async () => {
    const wrapper = mount(ExperimentEditor)
    const store = useExperimentStore()
    const lines = (): string[] => wrapper.findAll('[data-testid=optimizer-formula] li.step').map((li) => li.text())
    expect(lines()).toEqual(optimizerText('sgd'))
    expect(lines()[0]).toMatch(/^θ ← θ − η ?· ?g$/)
    expect(wrapper.find('[data-testid=optimizer-beta1]').exists()).toBe(false)
    await wrapper.find('[data-testid=optimizer]').setValue('adam')
    expect(store.experiment.training.optimizer).toEqual({ kind: 'adam', momentum: 0.9, rho: 0.99, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    expect(lines()).toEqual(optimizerText('adam'))
    expect(wrapper.find('label:has([data-testid=optimizer])').attributes('title')).toContain(optimizerText('adam').at(-1)!)
    const beta2Lines = optimizerText('adam').filter((line) => line.includes('β2'))
    expect(beta2Lines.length).toBeGreaterThan(0)
    expect(wrapper.find('[data-testid=optimizer-beta2]').attributes('title')).toBe(`β2 (PyTorch’s default 0.999) in ${beta2Lines.join('; ')}`)
    await wrapper.find('[data-testid=optimizer-beta1]').setValue('1.5')
    expect(store.experiment.training.optimizer.beta1).toBe(1.5)
    expect(wrapper.find('label:has([data-testid=optimizer-beta1]) .problem').text()).toBe(store.problems['training.optimizer.beta1'])
    expect(store.trainBlockedReason).toMatch(/^beta1: /)
    await wrapper.find('[data-testid=optimizer-beta1]').setValue('0.8')
    // Back to momentum and to adam: every value kept.
    await wrapper.find('[data-testid=optimizer]').setValue('momentum')
    expect(wrapper.find<HTMLInputElement>('[data-testid=optimizer-momentum]').element.value).toBe('0.9')
    await wrapper.find('[data-testid=optimizer]').setValue('adam')
    expect(store.experiment.training.optimizer.beta1).toBe(0.8)
    expect(store.problems).toEqual({})
  })

  it('regularization, batch size and shuffle seed: set, explained, checked', async () => {
    const wrapper = mount(ExperimentEditor)
    const store = useExperimentStore()
    expect(wrapper.find('[data-testid=regularization-rate]').exists()).toBe(false)
    await wrapper.find('[data-testid=regularization]').setValue('l1')
    expect(wrapper.find('label:has([data-testid=regularization])').attributes('title')).toContain(REGULARIZATION_DEFS.l1.gradText('w'))
    expect(wrapper.find('[data-testid=regularization-formula]').text()).toBe('g += λ·sign(w) (weights only)')
    await wrapper.find('[data-testid=regularization-rate]').setValue('0.01')
    expect(store.experiment.training.regularization).toEqual({ kind: 'l1', rate: 0.01 })
    await wrapper.find('[data-testid=regularization-rate]').setValue('-1')
    expect(store.trainBlockedReason).toBe('regularization rate: must be ≥ 0')
    await wrapper.find('[data-testid=regularization-rate]').setValue('0.01')

    expect(wrapper.find('[data-testid=batch-size]').attributes('title')).toMatch(/^Samples per update\. 0/)
    await wrapper.find('[data-testid=batch-size]').setValue('2.5')
    expect(wrapper.find('label:has([data-testid=batch-size]) .problem').text()).toBe(store.problems['training.batchSize'])
    expect(store.trainBlockedReason).toMatch(/^batch size: /)
    await wrapper.find('[data-testid=batch-size]').setValue('1')
    await wrapper.find('[data-testid=shuffle-seed]').setValue('-3')
    expect(store.trainBlockedReason).toMatch(/^shuffle seed: /)
    await wrapper.find('[data-testid=shuffle-seed]').setValue('7')
    expect(store.problems).toEqual({})
    expect(store.configs[0]).toMatchObject({ batchSize: 1, shuffleSeed: 7, regularization: { kind: 'l1', rate: 0.01 } })
  })
})

describe('the document snapshot with test samples', () => {
  it('tells experiments apart by their test samples, which stay out of the head', () => {
    const a = { ...defaultExperiment(), test: [{ inputs: [1, 2], targets: [0, 1] }] }
    const b = { ...defaultExperiment(), test: [{ inputs: [1, 3], targets: [0, 1] }] }
    expect(sameSnapshot(documentSnapshot(a, ''), documentSnapshot(a, ''))).toBe(true)
    expect(sameSnapshot(documentSnapshot(a, ''), documentSnapshot(b, ''))).toBe(false)
    expect(documentSnapshot(a, '').head).toBe(documentSnapshot(b, '').head)
    // A training sample moved to the test list is a change too.
    const moved = { ...defaultExperiment(), samples: [], test: defaultExperiment().samples }
    expect(sameSnapshot(documentSnapshot(defaultExperiment(), ''), documentSnapshot(moved, ''))).toBe(false)
  })
})
