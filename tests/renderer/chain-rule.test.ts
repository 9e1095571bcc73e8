// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import ChainRule from '../../src/renderer/src/components/ChainRule.vue'
import { useTrainingStore } from '../../src/renderer/src/stores/training'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { loadSheet, relativeError } from '../shared/reference'
import { sheetRuns } from './engine-runs'
import { generateDataset } from '../../src/shared/data/dataset'

const sheet = loadSheet()
const first = sheet.eta_0_5.rows[0]

/** Every number written in a text (brackets and minus signs included). */
const numbersIn = (text: string): number[] => (text.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number)

/** A new job reaches the view one task after the store (useShownRuns), then renders. */
const settle = (): Promise<void> => nextTick().then(() => new Promise<void>((r) => setTimeout(r, 0))).then(() => nextTick())

function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const training = useTrainingStore()
  const wrapper = mount(ChainRule, { global: { plugins: [pinia] } })
  return { training, wrapper, view: useViewStore() }
}

describe('ChainRule', () => {
  beforeEach(() => localStorage.clear())

  it('asks for a run before there is one', () => {
    const { wrapper } = setup()
    expect(wrapper.find('[data-testid=chain-rule-message]').text()).toMatch(/Train/)
    expect(wrapper.find('[data-testid=chain-rule-result]').exists()).toBe(false)
  })

  it('shows ∂E/∂w5 at epoch 1 by default, with the sheet’s first-row numbers and result', async () => {
    const { training, wrapper, view } = setup()
    view.precision = 15
    training.runs = sheetRuns()
    training.status = 'done'
    training.version++
    await settle()
    const chain = wrapper.find('[data-testid=chain-rule-chain]')
    expect(chain.attributes('data-text')).toBe('∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂o1 · ∂o1/∂w5 = δ_o1 · ∂o1/∂w5')
    // Typeset: fractions of partial derivatives in MathML, no style attribute anywhere (the CSP refuses them).
    expect(chain.findAll('math mfrac')).toHaveLength(5)
    expect(wrapper.html()).not.toMatch(/\sstyle=/)
    const expanded = wrapper.find('[data-testid=chain-rule-expanded] .line')
    expect(expanded.attributes('data-text')).toBe('∂E/∂w5 = (out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1')
    const numbersLine = wrapper.find('[data-testid=chain-rule-numbers]')
    const numbers = numbersIn(numbersLine.attributes('data-text')!)
    const expected = [first.out_o1, first.t1, first.out_o1, 1, first.out_o1, first.out_h1]
    expect(numbers).toHaveLength(expected.length)
    numbers.forEach((n, i) => expect(relativeError(n, expected[i]), `number ${i + 1}`).toBeLessThan(1e-14))
    // The typeset line shows the same numbers, each an <mn>.
    expect(numbersLine.findAll('mn').map((m) => Number(m.text()))).toEqual(numbers)
    // One <math> per top-level term: the line wraps between terms, never inside one.
    expect(numbersLine.findAll('math').map((m) => m.findAll('mn').length)).toEqual([0, 2, 1, 2, 1])
    // Each step says in words what it is.
    expect(wrapper.findAll('[data-testid=chain-rule-step] .say').map((p) => p.text())).toEqual([
      'How much E_total changes when the net input o1 changes: how E_total changes with out_o1, times how out_o1 changes with o1.',
      'How much E_total changes when w5 changes: the δ of the neuron it feeds times the value it multiplies (out_h1).',
    ])
    const result = wrapper.find('[data-testid=chain-rule-result]')
    expect(relativeError(Number(result.text()), first['𝟃E/𝟃w5'])).toBeLessThan(1e-14)
    // The exact double behind the text is the table's own cell.
    expect(Number(result.attributes('data-value'))).toBe(training.runs[0].table.get(0, training.runs[0].layout.names.indexOf('∂E/∂w5')))
    expect(wrapper.find('[data-testid=chain-rule-check]').text()).toMatch(/^✓ equals the table's ∂E\/∂w5 at epoch 1/)
  })

  it('follows the selected parameter, epoch and run', async () => {
    const { training, wrapper } = setup()
    training.runs = sheetRuns([0.5, 2])
    training.status = 'done'
    training.selectParam({ kind: 'w', index: 0 })
    training.selectEpoch(69)
    training.selectedRun = 1
    await settle()
    const rows = wrapper.findAll('[data-testid=chain-rule-step] .sym-line').map((line) => line.attributes('data-text'))
    expect(rows).toEqual([
      'δ_o1 = (out_o1 − t1) · out_o1 · (1 − out_o1)',
      'δ_o2 = (out_o2 − t2) · out_o2 · (1 − out_o2)',
      'δ_h1 = (δ_o1 · w5 + δ_o2 · w7) · out_h1 · (1 − out_h1)',
      '∂E/∂w1 = δ_h1 · i1',
    ])
    const value = Number(wrapper.find('[data-testid=chain-rule-result]').attributes('data-value'))
    expect(relativeError(value, sheet.eta_2.rows[69]['𝟃E/𝟃w1'])).toBeLessThan(1e-11)
    // The selector changes the store's selection.
    await wrapper.find('[data-testid=chain-rule-param]').setValue('w8')
    expect(training.selectedParam).toEqual({ kind: 'w', index: 7 })
    await wrapper.find('[data-testid=chain-rule-epoch]').setValue('3')
    await wrapper.find('[data-testid=chain-rule-epoch]').trigger('change')
    expect(training.selectedEpoch).toBe(2)
    const w8 = Number(wrapper.find('[data-testid=chain-rule-result]').attributes('data-value'))
    expect(relativeError(w8, sheet.eta_2.rows[2]['𝟃E/𝟃w8'])).toBeLessThan(1e-11)
  })

  it('says so when the epoch has not been trained yet', async () => {
    const { training, wrapper } = setup()
    training.runs = sheetRuns()
    training.selectEpoch(500)
    await settle()
    expect(wrapper.find('[data-testid=chain-rule-message]').text()).toBe('Epoch 501 has not been trained yet (70 so far).')
  })

  it('biases: a trained one is derived to the table’s cell, a fixed one is said to have none', async () => {
    const { training, wrapper } = setup()
    const withBiases = (mode: 'trained' | 'fixed') =>
      sheetRuns([0.5], (exp) => {
        exp.network.bias = mode
        exp.init = { weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], biases: [0.35, 0.35, 0.6, 0.6] }
      })
    training.runs = withBiases('trained')
    training.selectParam({ kind: 'b', index: 0 })
    training.selectEpoch(4)
    await settle()
    const run = training.runs[0]
    expect(Number(wrapper.find('[data-testid=chain-rule-result]').attributes('data-value'))).toBe(
      run.table.get(4, run.layout.names.indexOf('∂E/∂b1'))
    )
    expect(wrapper.find('[data-testid=chain-rule-check]').text()).toMatch(/^✓/)
    training.runs = withBiases('fixed')
    await settle()
    expect(wrapper.find('[data-testid=chain-rule-check]').text()).toBe('Fixed bias: not trained, so the table has no ∂E/∂b1 column.')
  })

  it('says what the epoch’s update used: the full batch (the sheet), or the mini-batches beside the full-batch gradient it shows', async () => {
    const { training, wrapper } = setup()
    training.runs = sheetRuns()
    training.version++
    await settle()
    expect(wrapper.find('[data-testid=chain-rule-update]').text()).toBe(
      'This is the gradient over the whole training set (1 sample), the full batch: the update of this epoch used it.'
    )
    training.runs = sheetRuns([0.5], (exp) => {
      exp.network = { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }
      exp.samples = generateDataset({ generator: 'xor', count: 25, noise: 0, seed: 4, testFraction: 0 }, 1).samples
      exp.init = { seed: 2, scheme: 'xavier' }
      exp.training.batchSize = 10
      exp.training.epochs = 3
    })
    training.version++
    await settle()
    expect(wrapper.find('[data-testid=chain-rule-update]').text()).toMatch(
      /^This is the full-batch gradient, over all 25 training samples at the start of the epoch\. The update used the batches: the samples were shuffled and split into 3 batches of 10 \(the last of 5\)/
    )
  })
})
