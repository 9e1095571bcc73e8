// @vitest-environment happy-dom
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ExperimentEditor from '../../src/renderer/src/components/ExperimentEditor.vue'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { installTestHost } from './in-process-host'

/** The explicit test list ("Explicit samples stay as they are, with an optional explicit `test` list"): the store's edits and the editor's grid. */
enableAutoUnmount(afterEach)
beforeEach(() => {
  setActivePinia(createPinia())
  installTestHost()
})

describe('the explicit test samples in the store', () => {
  it('are added, edited, removed and pasted like the training samples, and leave those as they are', async () => {
    const store = useExperimentStore()
    const training = store.experiment.samples // the sheet's sample, 2 inputs and 2 targets
    expect(store.experiment.test).toEqual([])
    store.addSample('test')
    store.addSample('test')
    store.setSampleValue(1, 'targets', 1, 0.75, 'test')
    expect(store.experiment.test).toEqual([
      { inputs: [0, 0], targets: [0, 0] },
      { inputs: [0, 0], targets: [0, 0.75] },
    ])
    store.removeSample(0, 'test')
    expect(store.experiment.test).toEqual([{ inputs: [0, 0], targets: [0, 0.75] }])
    expect(store.experiment.samples).toBe(training)
    // The runs see them: E_test and acc_test are measured on them.
    expect(store.configs[0].test).toEqual([{ inputs: [0, 0], targets: [0, 0.75] }])

    expect(store.pasteSamples('0.1\t0.2\t1\t0\n0.3\t0.4\t0\t1', 'test')).toBeNull()
    expect(store.experiment.test).toEqual([
      { inputs: [0.1, 0.2], targets: [1, 0] },
      { inputs: [0.3, 0.4], targets: [0, 1] },
    ])
    expect(store.experiment.samples).toBe(training)
    expect(store.pasteSamples('1\t2\t3', 'test')).toBe('Row 1 has 3 values; each needs 2 inputs and 2 targets (4).')
    // New training samples drop the old test samples (they belonged to the old data); new test samples do not touch the training ones.
    expect(store.pasteSamples('0\t0\t1\t1')).toBeNull()
    expect(store.experiment.test).toEqual([])
  })

  it('a bad value in a test sample blocks training and names that test sample', () => {
    const store = useExperimentStore()
    store.addSample('test')
    store.setSampleValue(0, 'inputs', 1, NaN, 'test')
    expect(store.trainBlockedField).toBe('test[0].inputs[1]')
    expect(store.trainBlockedReason).toMatch(/^test sample 1 inputs i2: /)
  })

  it('a new output layer fits the test samples too', () => {
    const store = useExperimentStore()
    store.addSample('test')
    store.setLayerSize(2, 3)
    expect(store.experiment.test).toEqual([{ inputs: [0, 0], targets: [0, 0, 0] }])
  })

  it('imported as the test samples, CSV rows replace only those, and must fit the network', () => {
    const store = useExperimentStore()
    const training = store.experiment.samples
    expect(store.importSamples([{ inputs: [1, 2], targets: [0, 1] }], 'test')).toBeNull()
    expect(store.experiment.test).toEqual([{ inputs: [1, 2], targets: [0, 1] }])
    expect(store.experiment.samples).toBe(training)
    expect(store.experiment.network.layers).toEqual([2, 2, 2])
    expect(store.importSamples([{ inputs: [1, 2, 3], targets: [0] }], 'test')).toBe(
      'Test sample 1 has 3 inputs and 1 target; the network takes 2 inputs and 2 targets.'
    )
    expect(store.experiment.test).toEqual([{ inputs: [1, 2], targets: [0, 1] }])
  })

  it('a test sample edited on generated data makes the data explicit, keeping its points', () => {
    const store = useExperimentStore()
    store.chooseGenerator('gauss')
    const training = store.experiment.samples
    store.setSampleValue(0, 'inputs', 0, 0.5, 'test')
    expect(store.experiment.data).toBeUndefined()
    expect(store.experiment.test[0].inputs[0]).toBe(0.5)
    expect(store.experiment.samples).toBe(training)
  })

  it('every edit of the test samples is undone and redone, one step each', async () => {
    const store = useExperimentStore()
    store.addSample('test')
    await nextTick()
    store.setSampleValue(0, 'inputs', 0, 2, 'test')
    await nextTick()
    store.removeSample(0, 'test')
    await nextTick()
    expect(store.experiment.test).toEqual([])
    // One key press a tick, as in the window.
    const press = async (key: 'undo' | 'redo'): Promise<unknown> => {
      store[key]()
      await nextTick()
      return store.experiment.test
    }
    expect(await press('undo')).toEqual([{ inputs: [2, 0], targets: [0, 0] }])
    expect(await press('undo')).toEqual([{ inputs: [0, 0], targets: [0, 0] }])
    expect(await press('undo')).toEqual([])
    expect(await press('redo')).toEqual([{ inputs: [0, 0], targets: [0, 0] }])
    expect(await press('redo')).toEqual([{ inputs: [2, 0], targets: [0, 0] }])
  })
})

describe('the editor’s test samples grid', () => {
  it('shows for explicit data under the training samples: + test sample, edit a field, remove; hidden for generated data', async () => {
    const wrapper = mount(ExperimentEditor)
    const store = useExperimentStore()
    expect(wrapper.find('[data-testid=test-samples-title]').exists()).toBe(true)
    expect(wrapper.find('[data-testid=test-grid]').attributes('aria-label')).toBe('Test samples')
    expect(wrapper.findAll('[data-testid=test-grid] [role=row][aria-rowindex]')).toHaveLength(0)
    await wrapper.find('[data-testid=add-test]').trigger('click')
    await wrapper.find('[data-testid=add-test]').trigger('click')
    expect(store.experiment.test).toHaveLength(2)
    expect(wrapper.find('[data-testid=test-size]').text()).toBe('2 test samples × 2 inputs, 2 targets')
    await wrapper.find('[data-testid=test-sample-1-t2]').setValue('0.25')
    expect(store.experiment.test[1].targets).toEqual([0, 0.25])
    // The training samples' own grid is untouched, and its fields keep their names.
    expect(wrapper.find('[data-testid=sample-0-t2]').exists()).toBe(true)
    expect(store.experiment.samples).toHaveLength(1)
    // A test list may be empty: the last one can be removed (a training sample cannot).
    await wrapper.find('[data-testid=test-sample-0] .remove').trigger('click')
    await wrapper.find('[data-testid=test-sample-0] .remove').trigger('click')
    expect(store.experiment.test).toEqual([])
    expect(wrapper.find('[data-testid=sample-0] .remove').attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid=generator-xor]').trigger('change')
    expect(wrapper.find('[data-testid=test-grid]').exists()).toBe(false)
  })
  it('an unreachable test target is warned about under the test samples, not the training ones', async () => {
    const wrapper = mount(ExperimentEditor)
    await wrapper.find('[data-testid=add-test]').trigger('click')
    await wrapper.find('[data-testid=test-sample-0-t1]').setValue('2')
    const warning = wrapper.find('[data-testid=test] [data-testid="warning-test[0].targets[0]"]')
    expect(warning.text()).toBe(
      't1 = 2 can never be reached: a sigmoid only gives values between 0 and 1, so out_o1 can only come close to 1 and E_tot never reaches 0'
    )
    expect(wrapper.findAll('[data-testid=samples] .warning')).toHaveLength(0)
  })
})
