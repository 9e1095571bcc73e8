// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import ExperimentEditor from '../../src/renderer/src/components/ExperimentEditor.vue'
import { focusField } from '../../src/renderer/src/editing/field-focus'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { LIMITS } from '../../src/shared/engine/validate'
import { largestSamplesExperiment } from '../fixtures/large-experiment'
import { installTestHost } from './in-process-host'

/**
 * The samples editor at the format's limits: 10,000 samples of 512 inputs and 512 targets
 * (10,240,000 values). It draws the rows and columns in view, not one input per value, and the
 * values it draws are editable and land in the experiment.
 */
beforeEach(() => {
  setActivePinia(createPinia())
  installTestHost()
})

describe('the samples editor at the format’s limits', () => {
  it('draws a few hundred inputs for 10,240,000 values, follows scrolling, and edits', async () => {
    const store = useExperimentStore()
    store.replace(largestSamplesExperiment())
    expect(store.experiment.samples).toHaveLength(LIMITS.maxSamples)
    const wrapper = mount(ExperimentEditor, { attachTo: document.body })
    const grid = wrapper.get('[data-testid=samples-grid]')
    const inputs = (): number => grid.findAll('input').length
    expect(inputs()).toBeGreaterThan(0)
    expect(inputs()).toBeLessThan(400)
    expect(wrapper.findAll('input').length).toBeLessThan(600) // the whole editor
    expect(wrapper.get('[data-testid=samples-size]').text()).toMatch(/10,000 samples × 512 inputs, 512 targets/)

    // The last sample's last target, scrolled to.
    const viewport = grid.element as HTMLElement
    viewport.scrollTop = 10_000 * 28
    viewport.scrollLeft = 1024 * 78
    await grid.trigger('scroll')
    const last = wrapper.get('[data-testid="sample-9999-t512"]')
    expect((last.element as HTMLInputElement).value).toBe(String(store.experiment.samples[9999].targets[511]))
    expect(inputs()).toBeLessThan(400)
    await last.setValue('0.25')
    expect(store.experiment.samples[9999].targets[511]).toBe(0.25)
    // The edit reaches the checks: a value that is not a number is flagged at its cell.
    await last.setValue('x')
    expect(store.problems['samples[9999].targets[511]']).toMatch(/number/)
    expect(wrapper.get('[data-testid="sample-9999-t512"]').attributes('aria-invalid')).toBe('true')

    // "Cannot train" brings the problem's cell back into view, though it is no longer drawn.
    viewport.scrollTop = 0
    viewport.scrollLeft = 0
    await grid.trigger('scroll')
    expect(wrapper.find('[data-testid="sample-9999-t512"]').exists()).toBe(false)
    expect(store.trainBlockedField).toBe('samples[9999].targets[511]')
    expect(focusField('samples[9999].targets[511]')).toBe(true)
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.get('[data-testid="sample-9999-t512"]').element)
    wrapper.unmount()
  })
})
