// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { markRaw } from 'vue'
import EpochTable from '../../src/renderer/src/components/EpochTable.vue'
import { modelOf } from '../../src/shared/derivation'
import { columnFormula } from '../../src/shared/column-formula'
import { columnLayout } from '../../src/shared/engine'
import { optimizerOf } from '../../src/shared/engine/types'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore, type RunView } from '../../src/renderer/src/stores/training'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { formatNumber } from '../../src/renderer/src/format'
import { columnGroups, shownOrder } from '../../src/renderer/src/table/column-groups'
import { formatColumn } from '../../src/renderer/src/table/format'
import { selectionTsv } from '../../src/renderer/src/table/selection'
import { engineRun } from './engine-runs'
import { installTestHost, until } from './in-process-host'

beforeEach(() => {
  setActivePinia(createPinia())
  setFrameScheduler((fn) => setTimeout(fn, 0))
  installTestHost()
})

async function trained(epochs: number): Promise<ReturnType<typeof useTrainingStore>> {
  const experiment = useExperimentStore()
  experiment.experiment.training.epochs = epochs
  const training = useTrainingStore()
  training.train()
  await until(() => training.status === 'done', 60_000)
  return training
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** Puts finished runs in the training store, as a job that has ended leaves them. */
function show(runs: RunView[]): ReturnType<typeof useTrainingStore> {
  const training = useTrainingStore()
  training.runs = runs
  training.status = 'done'
  training.version++
  return training
}

/**
 * A finished run of the sheet's network with `rows` epochs whose table computes each number
 * (row · 1000 + column) instead of storing it: what the table does with a million rows does not
 * depend on the numbers, and training a million epochs only to scroll through them would be waste.
 * The view reads a table through names, rowCount, get and row only; the rest of EpochTable (and of
 * the loss series) is not given, hence the casts.
 */
function computedRun(rows: number): RunView {
  const run = engineRun(runConfigs(defaultExperiment())[0], 1)
  const { names, lossColumn } = run.layout
  const value = (row: number, col: number): number => row * 1000 + col
  const table = { names, rowCount: rows, get: value, row: (row: number) => Float64Array.from(names, (_, col) => value(row, col)) }
  const losses = {
    length: rows,
    get: (i: number) => value(i, lossColumn),
    toArray: (from = 0, to = rows) => Float64Array.from({ length: to - from }, (_, i) => value(from + i, lossColumn)),
  }
  return markRaw({ ...run, epochs: rows, table: table as unknown as RunView['table'], losses: losses as unknown as RunView['losses'] })
}

/** Columns are virtualized too: bring one into view as the toolbar's column menu does. */
async function showColumn(wrapper: ReturnType<typeof mount>, name: string): Promise<void> {
  await wrapper.find('[data-testid=column-jump]').setValue(name)
}

describe('EpochTable', () => {
  it("groups the sheet's columns as the sheet does", () => {
    const groups = columnGroups(columnLayout(defaultExperiment().network, 1)).map((g) => [g.label, g.to - g.from])
    expect(groups).toEqual([
      ['Targets & inputs', 4],
      ['Layer 1 weights', 4],
      ['Hidden', 4],
      ['Layer 2 weights', 4],
      ['Outputs', 4],
      ['Errors', 3],
      ['Gradients', 8],
    ])
  })

  it('fills in while training, row by row as the epochs arrive', async () => {
    const wrapper = mount(EpochTable)
    expect(wrapper.find('.empty').exists()).toBe(true)
    const training = useTrainingStore()
    training.step(1)
    await until(() => training.runs[0]?.epochs === 1)
    await tick()
    expect(wrapper.findAll('.tr').map((r) => r.attributes('data-epoch'))).toEqual(['1'])
    training.step(3)
    await until(() => training.runs[0].epochs === 4)
    await tick()
    expect(wrapper.findAll('.tr').map((r) => r.attributes('data-epoch'))).toEqual(['1', '2', '3', '4'])
    training.reset()
  })

  it('puts only the visible rows in the DOM and shows the engine numbers', async () => {
    const training = show([engineRun(runConfigs(defaultExperiment())[0], 20_000)])
    const wrapper = mount(EpochTable)
    await tick()
    const rows = wrapper.findAll('.tr')
    expect(rows.length).toBeGreaterThan(5)
    expect(rows.length).toBeLessThan(40)
    expect(wrapper.find('[data-testid=epoch-table]').attributes('data-rows')).toBe('20000')
    const view = useViewStore()
    const run = training.runs[0]
    expect(wrapper.find('.tr[data-epoch="1"] [data-col="∂E/∂w8"]').exists()).toBe(false)
    await showColumn(wrapper, 'h1')
    const first = wrapper.find('.tr[data-epoch="1"] [data-col="h1"]')
    expect(first.text()).toBe(formatNumber(run.table.get(0, run.layout.names.indexOf('h1')), view.precision))

    // Jump far down: the rows shown move, the DOM does not grow.
    await wrapper.find('[data-testid=jump-input]').setValue('18000')
    await wrapper.find('form.jump').trigger('submit')
    expect(training.selectedEpoch).toBe(17_999)
    const shown = wrapper.findAll('.tr').map((r) => Number(r.attributes('data-epoch')))
    expect(shown).toContain(18_000)
    expect(shown.length).toBe(rows.length)
    const cell = wrapper.find('.tr[data-epoch="18000"] [data-col="h1"]')
    expect(cell.text()).toBe(formatNumber(run.table.get(17_999, run.layout.names.indexOf('h1')), view.precision))
    expect(wrapper.find('.tr[data-epoch="18000"]').classes()).toContain('current')
  })

  it('scales its scrollbar for a million rows and still reaches the last one', async () => {
    show([computedRun(1_000_000)])
    const wrapper = mount(EpochTable)
    await tick()
    const scroller = wrapper.find('[data-testid=epoch-table]').element as HTMLElement
    const sizer = wrapper.find('.sizer').element as HTMLElement
    const height = parseFloat(sizer.style.height)
    expect(height).toBeLessThan(10_000_000) // far below 1M rows × 22 px
    scroller.scrollTop = height
    await wrapper.find('[data-testid=epoch-table]').trigger('scroll')
    const shown = wrapper.findAll('.tr').map((r) => Number(r.attributes('data-epoch')))
    expect(shown[shown.length - 1]).toBe(1_000_000)
    await showColumn(wrapper, 'h1')
    const h1 = useTrainingStore().runs[0].layout.names.indexOf('h1')
    expect(wrapper.find('.tr[data-epoch="1000000"] [data-col="h1"]').text()).toBe(formatNumber(999_999 * 1000 + h1, useViewStore().precision))
    // The wheel moves whole rows whatever the scaling.
    const before = Number(scroller.dataset.first)
    await wrapper.find('[data-testid=epoch-table]').trigger('wheel', { deltaY: -66, deltaMode: 0 })
    expect(Number(scroller.dataset.first)).toBe(before - 3)
  })

  it('selects rows (click, Shift+click) and copies them as tab-separated text', async () => {
    const training = await trained(70)
    const wrapper = mount(EpochTable, { attachTo: document.body })
    await tick()
    await wrapper.find('.tr[data-epoch="2"] .epoch').trigger('mousedown', { button: 0 })
    await wrapper.find('.tr[data-epoch="4"] .epoch').trigger('mousedown', { button: 0, shiftKey: true })
    expect(training.selectedEpoch).toBe(3)
    expect(wrapper.findAll('.tr[data-epoch="3"] .td.sel').length).toBeGreaterThan(0)
    let copied = ''
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void (copied = t) }, configurable: true })
    await wrapper
      .findAll('.toolbar button')
      .find((b) => b.text() === 'Copy')!
      .trigger('click')
    const run = training.runs[0]
    // The order shown: E_tot (pinned) first, then the folded targets and inputs (copied in full), then the rest.
    const all = shownOrder(run.layout, true)
    expect(copied).toBe(selectionTsv(run.layout.names, all, [1, 3], (r, c) => run.table.get(r, c)))
    const lines = copied.trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0].split('\t')).toEqual([
      'epoch',
      'E_tot',
      't1',
      't2',
      'i1',
      'i2',
      'w1',
      'w2',
      'w3',
      'w4',
      'h1',
      'out_h1',
      'h2',
      'out_h2',
      'w5',
      'w6',
      'w7',
      'w8',
      'o1',
      'out_o1',
      'o2',
      'out_o2',
      'E1',
      'E2',
      ...run.layout.names.filter((n) => n.startsWith('∂')),
    ])
    expect(Number(lines[3].split('\t')[1])).toBe(run.losses.get(3))
    wrapper.unmount()
  })

  it('gives each column header its formula', async () => {
    await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    const titles: Record<string, string | undefined> = {}
    for (const name of ['h1', 'out_h1', 'E1', '∂E/∂w5']) {
      await showColumn(wrapper, name)
      for (const h of wrapper.findAll('.th')) {
        await h.trigger('pointerover') // the formula becomes the tooltip when the pointer reaches the header
        titles[h.text()] = h.attributes('title')
      }
    }
    expect(wrapper.findAll('.th').length).toBeLessThan(20)
    expect(titles.h1).toBe('h1 = w1·i1 + w2·i2')
    expect(titles.out_h1).toBe('out_h1 = 1/(1 + e^(−h1))')
    expect(titles.E1).toBe('E1 = ½(t1 − out_o1)²')
    expect(titles['∂E/∂w5']).toBe('∂E/∂w5 = (out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1')
  })

  it('gives the exact formula for any activation, loss and momentum (the shared columnFormula)', async () => {
    const experiment = useExperimentStore()
    experiment.experiment.network = { layers: [2, 3, 3], activations: ['leaky-relu', 'softmax'], bias: 'trained' }
    experiment.experiment.loss = 'softmax-ce'
    experiment.experiment.samples = [{ inputs: [0.2, 0.9], targets: [1, 0, 0] }]
    experiment.experiment.init = { seed: 3, scheme: 'he' }
    experiment.experiment.training.optimizer = optimizerOf('momentum', { momentum: 0.5 })
    const training = await trained(5)
    const wrapper = mount(EpochTable)
    await tick()
    const titles: Record<string, string | undefined> = {}
    for (const name of ['out_h1', 'out_o2', 'E1', 'w1', '∂E/∂b4']) {
      await showColumn(wrapper, name)
      for (const h of wrapper.findAll('.th')) {
        await h.trigger('pointerover') // the formula becomes the tooltip when the pointer reaches the header
        titles[h.text()] = h.attributes('title')
      }
    }
    expect(titles.out_h1).toBe('out_h1 = max(0.01·h1, h1)')
    expect(titles.out_o2).toBe('out_o2 = e^o2 / (e^o1 + e^o2 + e^o3)')
    expect(titles.E1).toBe('E1 = −t1·ln(out_o1)')
    expect(titles.w1).toBe('w1: weight i1 → h1; next epoch w1 − η · v_w1, v_w1 ← μ · v_w1 + ∂E/∂w1')
    expect(titles['∂E/∂b4']).toBe('∂E/∂b4 = out_o1 · (t1 + t2 + t3) − t1')
    const { layout, config } = training.runs[0]
    for (const [name, title] of Object.entries(titles))
      if (layout.names.includes(name)) expect(title).toBe(columnFormula(layout, name, modelOf(config)))
  })
})

describe('EpochTable for a student (issue 16)', () => {
  const headers = (w: ReturnType<typeof mount>): string[] => [w.find('.pin-head').text(), ...w.findAll('.names .th').map((h) => h.text())]

  it('pins E_tot beside the epoch, wherever the table is scrolled sideways', async () => {
    const training = await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    expect(headers(wrapper)[0]).toBe('E_tot')
    await showColumn(wrapper, '∂E/∂w8')
    expect(headers(wrapper)).toContain('∂E/∂w8')
    expect(headers(wrapper)[0]).toBe('E_tot')
    expect(headers(wrapper)).not.toContain('w1')
    const cell = wrapper.find('.tr[data-epoch="5"] .pin')
    expect(Number(cell.text())).toBeCloseTo(training.runs[0].losses.get(4), 6)
  })

  it('folds the constant targets and inputs into one column, which expands and folds again', async () => {
    await trained(3)
    const wrapper = mount(EpochTable)
    await tick()
    expect(headers(wrapper)).toContain('t, i (4)')
    expect(headers(wrapper)).not.toContain('t1')
    await wrapper.find('[data-testid=data-group]').trigger('click')
    expect(headers(wrapper).slice(0, 5)).toEqual(['E_tot', 't1', 't2', 'i1', 'i2'])
    await wrapper.find('[data-testid=data-group]').trigger('click')
    expect(headers(wrapper)).toContain('t, i (4)')
    // Asking for a folded column unfolds the group.
    await showColumn(wrapper, 'i2')
    expect(headers(wrapper)).toContain('i2')
  })

  it('owns the arrow keys while focused: ←/→ move between cells, ↑/↓ between rows, and nothing reaches the window', async () => {
    const training = await trained(70)
    const wrapper = mount(EpochTable, { attachTo: document.body })
    await tick()
    const reached: string[] = []
    const spy = (e: KeyboardEvent): number => reached.push(e.key)
    window.addEventListener('keydown', spy)
    await wrapper.find('.tr[data-epoch="2"] .pin').trigger('mousedown', { button: 0 })
    const table = wrapper.find('[data-testid=epoch-table]')
    await table.trigger('keydown', { key: 'ArrowRight' })
    await table.trigger('keydown', { key: 'ArrowRight' })
    expect(wrapper.vm.focus).toEqual({ row: 1, col: 2 })
    expect(wrapper.find('.tr[data-epoch="2"] .td.sel').attributes('data-col')).toBe('w1')
    expect(training.selectedParam).toEqual({ kind: 'w', index: 0 })
    await table.trigger('keydown', { key: 'ArrowDown' })
    expect(training.selectedEpoch).toBe(2)
    await table.trigger('keydown', { key: 'ArrowLeft' })
    await table.trigger('keydown', { key: 'ArrowUp' })
    expect(wrapper.vm.focus).toEqual({ row: 1, col: 1 })
    expect(reached).toEqual([])
    expect(training.runs[0].epochs).toBe(70) // → moved a cell; it did not step a new job
    window.removeEventListener('keydown', spy)
    wrapper.unmount()
  })

  it('selects the parameter of a clicked ∂E/∂w2 cell, not only the epoch', async () => {
    const training = await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    await showColumn(wrapper, '∂E/∂w2')
    await wrapper.find('.tr[data-epoch="3"] [data-col="∂E/∂w2"]').trigger('mousedown', { button: 0 })
    expect(training.selectedEpoch).toBe(2)
    expect(training.selectedParam).toEqual({ kind: 'w', index: 1 })
  })

  it('uses one notation per column: an exponent for every cell once one needs it', async () => {
    expect(formatColumn([2.93e-5, 0.00012, 0], 4)).toEqual(['2.93e-5', '1.2e-4', '0'])
    expect(formatColumn([0.5, 0.123456789], 4)).toEqual(['0.5', '0.1235'])
    await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    await showColumn(wrapper, '∂E/∂w1')
    for (const name of ['∂E/∂w1', '∂E/∂w2', '∂E/∂w3', 'E_tot']) {
      const texts = wrapper.findAll(`[data-col="${name}"]`).map((c) => c.text())
      expect(texts.length, name).toBeGreaterThan(5)
      const notations = new Set(texts.map((t) => t.includes('e')))
      expect(notations.size, `${name}: ${texts.join(' ')}`).toBe(1)
    }
    // ∂E/∂w1 runs from 1.1e-4 down past 1e-5 in the first epochs: all of it in exponents.
    expect(wrapper.find('.tr[data-epoch="2"] [data-col="∂E/∂w1"]').text()).toMatch(/e-4$/)
  })

  it('draws only whole cells, and a jump to a column lands on a column edge', async () => {
    await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    await showColumn(wrapper, 'out_o2')
    const scroller = wrapper.find('[data-testid=epoch-table]').element as HTMLElement
    const colW = parseFloat((wrapper.find('.view').element as HTMLElement).style.getPropertyValue('--col-w'))
    // Column edges: 0, then the folded column (72 px), then every colW.
    expect((scroller.scrollLeft - 72) % colW).toBe(0)
    const cells = wrapper.findAll('.tr[data-epoch="1"] .cells .td')
    const left = parseFloat((wrapper.find('.tr .cells').element as HTMLElement).style.left)
    // happy-dom gives the scroller no size: the table's own 800 px default is the view.
    expect(left + cells.length * colW).toBeLessThanOrEqual(800)
    expect(left).toBeGreaterThanOrEqual(64 + colW)
  })

  it('clears the epoch jump box on New (the runs go away)', async () => {
    const training = await trained(70)
    const wrapper = mount(EpochTable)
    await tick()
    await wrapper.find('[data-testid=jump-input]').setValue('12')
    training.reset()
    await tick()
    await tick()
    expect((wrapper.find('[data-testid=jump-input]').element as HTMLInputElement).value).toBe('')
  })
})
