// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import ExperimentEditor from '../../src/renderer/src/components/ExperimentEditor.vue'
import RunControls from '../../src/renderer/src/components/RunControls.vue'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { installTestHost, until } from './in-process-host'

const Both = defineComponent({ render: () => h('div', [h(RunControls), h(ExperimentEditor)]) })

beforeEach(() => {
  setActivePinia(createPinia())
  setFrameScheduler((fn) => setTimeout(fn, 0))
  installTestHost()
})

describe('ExperimentEditor and RunControls', () => {
  it('flags an invalid field with its reason and disables Train with it', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const train = wrapper.find('[data-testid=train]')
    expect(train.attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid=epochs]').setValue('seventy')
    expect(useExperimentStore().experiment.training.epochs).toBeNaN()
    expect(wrapper.find('label:has([data-testid=epochs]) .problem').text()).toBe('must be a number')
    expect(wrapper.find('[data-testid=epochs]').attributes('aria-invalid')).toBe('true')
    expect(train.attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid=blocked-reason]').text()).toBe('Cannot train — epochs: must be a number')
    await wrapper.find('[data-testid=epochs]').setValue('70')
    expect(train.attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[data-testid=blocked-reason]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('reads a list of learning rates and flags the bad one', async () => {
    const wrapper = mount(ExperimentEditor)
    await wrapper.find('[data-testid=learning-rates]').setValue('0.1, 0.5;2 x')
    const store = useExperimentStore()
    expect(store.experiment.training.learningRates.slice(0, 3)).toEqual([0.1, 0.5, 2])
    expect(wrapper.find('.rates .problem').text()).toBe('rate 4: must be a number')
  })

  it('adds and removes samples and takes a pasted table', async () => {
    const wrapper = mount(ExperimentEditor)
    const store = useExperimentStore()
    await wrapper
      .findAll('button')
      .find((b) => b.text() === '+ sample')!
      .trigger('click')
    expect(wrapper.findAll('tr[data-testid^=sample-]')).toHaveLength(2)
    const paste = new Event('paste', { bubbles: true }) as Event & { clipboardData: unknown }
    paste.clipboardData = { getData: () => '0\t0\t0\t0\n0\t1\t1\t1\n1\t0\t1\t1\n1\t1\t0\t0' }
    wrapper.find('fieldset.samples').element.dispatchEvent(paste)
    await wrapper.vm.$nextTick()
    expect(store.experiment.samples).toHaveLength(4)
    expect(store.experiment.samples[2]).toEqual({ inputs: [1, 0], targets: [1, 1] })
    expect(wrapper.findAll('tr[data-testid^=sample-]')).toHaveLength(4)
    await wrapper.find('tr[data-testid=sample-3] button').trigger('click')
    expect(store.experiment.samples).toHaveLength(3)
  })

  it('edits an initial weight, and the run starts from it', async () => {
    const wrapper = mount(Both)
    await wrapper.find('[data-testid=init-w5]').setValue('0.6')
    const training = useTrainingStore()
    await wrapper.find('[data-testid=train]').trigger('click')
    await until(() => training.status === 'done')
    const run = training.runs[0]
    expect(run.table.get(0, run.layout.names.indexOf('w5'))).toBe(0.6)
  })

  it('drives training from the keyboard: Space, → and Shift+→', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const training = useTrainingStore()
    const key = (k: string, shiftKey = false): boolean =>
      window.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }))
    key('ArrowRight')
    await until(() => training.runs[0]?.epochs === 1)
    key('ArrowRight', true)
    await until(() => training.runs[0].epochs === 11)
    expect(training.status).toBe('paused')
    key(' ')
    expect(training.status).toBe('running')
    await until(() => training.status === 'done')
    expect(wrapper.find('[data-testid=progress]').text()).toContain('70 / 70 epochs')
    wrapper.unmount()
  })
})
