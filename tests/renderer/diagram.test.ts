// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import NetworkDiagram from '../../src/renderer/src/components/NetworkDiagram.vue'
import { diagramGeometry, edgeWidth, LABEL_H, labelWidth, sparkline } from '../../src/renderer/src/diagram/layout'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { train } from '../../src/shared/engine/trainer'
import { generateDataset } from '../../src/shared/data/dataset'
import { loadSheet, relativeError } from '../shared/reference'
import { sheetRuns } from './engine-runs'
import { advanceUntil, installSimulatedHost } from './in-process-host'

const sheet = loadSheet()

describe('diagram geometry', () => {
  it('the seed’s 2-2-2: labelled edges in its numbering, no two labels on top of each other', () => {
    const g = diagramGeometry([2, 2, 2])
    expect(g.showEdgeLabels && g.namedLabels && g.showValues).toBe(true)
    expect(g.edges.map((e) => `${e.name}:${e.from.id}→${e.to.id}`)).toEqual([
      'w1:i1→h1',
      'w2:i2→h1',
      'w3:i1→h2',
      'w4:i2→h2',
      'w5:h1→o1',
      'w6:h2→o1',
      'w7:h1→o2',
      'w8:h2→o2',
    ])
    const width = labelWidth('w8 0.0000')
    for (const a of g.edges)
      for (const b of g.edges)
        if (a !== b) expect(Math.abs(a.lx - b.lx) >= width || Math.abs(a.ly - b.ly) >= LABEL_H, `${a.name} and ${b.name}`).toBe(true)
    expect(g.captions.map((c) => c.text)).toEqual(['Inputs', 'Hidden layer', 'Outputs', 'Total error'])
  })

  it('6 layers × 16 neurons: everything inside the picture, labels give way to hover', () => {
    const g = diagramGeometry([16, 16, 16, 16, 16, 16])
    expect(g.showEdgeLabels).toBe(false)
    expect(g.edges).toHaveLength(5 * 256)
    for (const n of g.nodes.flat()) {
      expect(n.x - g.r * 2).toBeGreaterThanOrEqual(0)
      expect(n.x + g.r * 2).toBeLessThanOrEqual(g.width)
      expect(n.y - g.r).toBeGreaterThanOrEqual(0)
      expect(n.y + g.r).toBeLessThanOrEqual(g.captionY)
    }
    // Neighbouring neurons do not touch.
    expect(g.nodes[1][1].y - g.nodes[1][0].y).toBeGreaterThan(2 * g.r)
    expect(g.captions[2].text).toBe('Hidden layer 2')
  })

  it('edge width grows with the magnitude', () => {
    expect(edgeWidth(0, 1)).toBeLessThan(edgeWidth(0.5, 1))
    expect(edgeWidth(-1, 1)).toBe(edgeWidth(1, 1))
    expect(edgeWidth(NaN, 1)).toBe(0.75)
    expect(edgeWidth(1, 1, 1.5)).toBe(1.5)
  })

  it('sparkline: a million values cost two points per pixel and keep the extremes', () => {
    const n = 1_000_000
    const get = (i: number): number => (i === 777_777 ? 5 : i === 123_456 ? -5 : Math.sin(i / 1000))
    const s = sparkline(n, get, 300, 40)
    const pts = s.points.split(' ').map((p) => p.split(',').map(Number))
    expect(pts.length).toBeLessThanOrEqual(600)
    expect(s.min).toBe(-5)
    expect(s.max).toBe(5)
    const ys = pts.map((p) => p[1])
    expect(Math.min(...ys)).toBeCloseTo(1, 5) // the maximum at the top
    expect(Math.max(...ys)).toBeCloseTo(39, 5) // the minimum at the bottom
    expect(sparkline(3, (i) => i, 300, 40).points).toBe('0.0,39.0 149.5,20.0 299.0,1.0')
  })
})

describe('NetworkDiagram', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('idle: shows the initial weights, and a weight edited on the diagram changes the run', async () => {
    const experiment = useExperimentStore()
    const wrapper = mount(NetworkDiagram, { attachTo: document.body })
    expect(wrapper.findAll('[data-testid^=edge-w]')).toHaveLength(8)
    expect(wrapper.find('[data-testid=weight-label-w5] text').text()).toBe('w5 0.4')
    expect(wrapper.find('[data-testid=edge-w7]').attributes('data-value')).toBe('0.5')

    await wrapper.find('[data-testid=weight-label-w5]').trigger('click')
    const input = wrapper.find('[data-testid=weight-input-w5]')
    expect((input.element as HTMLInputElement).value).toBe('0.4')
    await input.setValue('abc')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('[data-testid=weight-input-w5]').exists()).toBe(true) // refused, and said why
    const error = wrapper.find('[data-testid=weight-error-w5]')
    expect(error.text()).toBe('“abc” is not a number. Enter one such as 0.25 or −1.5 (Escape keeps 0.4).')
    expect(error.attributes('role')).toBe('alert')
    expect(input.attributes('aria-describedby')).toBe(error.attributes('id'))
    await input.setValue('')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('[data-testid=weight-error-w5]').text()).toBe('Enter a number for w5, such as 0.25 or −1.5 (Escape keeps 0.4).')
    // Escape cancels: nothing changes.
    await input.trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-testid=weight-input-w5]').exists()).toBe(false)
    expect(experiment.experiment.init).toEqual({ weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] })
    // Enter on the focused edge opens it again (the keyboard's way in).
    await wrapper.find('[data-testid=edge-w5]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('[data-testid=weight-input-w5]').exists()).toBe(true)
    await wrapper.find('[data-testid=weight-input-w5]').setValue('0.9')
    await wrapper.find('[data-testid=weight-input-w5]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('[data-testid=weight-input-w5]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=weight-label-w5] text').text()).toBe('w5 0.9')

    const config = experiment.configs[0]
    expect(config.weights).toEqual([0.15, 0.2, 0.25, 0.3, 0.9, 0.45, 0.5, 0.55])
    const run = train(config)
    expect(run.table!.get(0, run.layout.names.indexOf('w5'))).toBe(0.9)
    expect(relativeError(run.losses[0], sheet.eta_0_5.rows[0].E_tot)).toBeGreaterThan(1e-3)
    wrapper.unmount()
  })

  it('after training: the selected epoch’s weights and neurons; a click selects and shows the history, no editing', async () => {
    const training = useTrainingStore()
    training.runs = sheetRuns()
    training.status = 'done'
    training.selectEpoch(0)
    const wrapper = mount(NetworkDiagram)
    await wrapper.vm.$nextTick()
    const first = sheet.eta_0_5.rows[0]
    expect(wrapper.find('[data-testid=diagram-caption]').text()).toBe('epoch 1 (η = 0.5)')
    const table = training.runs[0].table
    expect(wrapper.find('[data-testid=neuron-h1] title').text()).toBe(`h1 = ${table.get(0, 8)}\nout_h1 = ${table.get(0, 9)}`)
    expect(relativeError(table.get(0, 8), first.h1)).toBeLessThan(1e-14)
    expect(relativeError(training.runs[0].table.get(0, 9), first.out_h1)).toBeLessThan(1e-14)

    training.selectEpoch(69)
    await wrapper.vm.$nextTick()
    const w5 = Number(wrapper.find('[data-testid=edge-w5]').attributes('data-value'))
    expect(relativeError(w5, sheet.eta_0_5.rows[69].w5)).toBeLessThan(1e-12)

    await wrapper.find('[data-testid=edge-w6]').trigger('click')
    expect(training.selectedParam).toEqual({ kind: 'w', index: 5 })
    expect(wrapper.find('[data-testid=weight-input-w6]').exists()).toBe(false)
    const history = wrapper.find('[data-testid=history-w6]')
    expect(history.exists()).toBe(true)
    expect(history.find('[data-testid="spark-w6"]').attributes('points')!.split(' ')).toHaveLength(70)
    expect(history.find('[data-testid="spark-∂E/∂w6"]').attributes('points')!.split(' ')).toHaveLength(70)

    // No row selected: the live weights after the last epoch.
    training.selectEpoch(null)
    await wrapper.vm.$nextTick()
    expect(Number(wrapper.find('[data-testid=edge-w5]').attributes('data-value'))).toBe(training.runs[0].weights[4])
    expect(wrapper.find('[data-testid=diagram-caption]').text()).toMatch(/^after epoch 70/)
  })

  it('a deep, wide net is drawn without labels; biases are shown and selectable', async () => {
    const experiment = useExperimentStore()
    experiment.experiment.network = {
      layers: [16, 16, 16, 16, 16, 16],
      activations: ['tanh', 'tanh', 'tanh', 'tanh', 'sigmoid'],
      bias: 'trained',
    }
    experiment.experiment.samples = [{ inputs: new Array(16).fill(0.1), targets: new Array(16).fill(0.5) }]
    experiment.experiment.init = { seed: 1, scheme: 'xavier' } as typeof experiment.experiment.init
    const wrapper = mount(NetworkDiagram)
    await wrapper.vm.$nextTick()
    expect(wrapper.findAll('[data-testid^=edge-w]')).toHaveLength(1280)
    expect(wrapper.findAll('[data-testid^=weight-label-]')).toHaveLength(0)
    expect(wrapper.find('[data-testid=edge-w1280] title').text()).toMatch(/^w1280: h4_16 → o16 = -?\d/)
    await wrapper.find('[data-testid=bias-b3]').trigger('click')
    expect(useTrainingStore().selectedParam).toEqual({ kind: 'b', index: 2 })
  })

  describe('neuron maps (2-D data)', () => {
    afterEach(() => {
      vi.restoreAllMocks()
      vi.useRealTimers()
    })

    /** A 2-3-1 tanh network on xor data, and the pictures put on its maps (happy-dom has no 2-D canvas: a context that counts them). */
    function countedMapsOnXor(): { puts: ReturnType<typeof vi.fn>; experiment: ReturnType<typeof useExperimentStore> } {
      const puts = vi.fn()
      vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({
        createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(4 * w * h) }),
        putImageData: puts,
      } as unknown as CanvasRenderingContext2D)
      const experiment = useExperimentStore()
      experiment.experiment.network = { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }
      experiment.experiment.samples = generateDataset({ generator: 'xor', count: 20, noise: 0, seed: 2, testFraction: 0 }, 1).samples
      experiment.experiment.init = { seed: 5, scheme: 'xavier' } as typeof experiment.experiment.init
      return { puts, experiment }
    }

    it('are painted once for the shown weights: pointing at neurons repaints none', async () => {
      const { puts, experiment } = countedMapsOnXor()
      const wrapper = mount(NetworkDiagram)
      await wrapper.vm.$nextTick()
      expect(wrapper.findAll('[data-testid=neuron-map]')).toHaveLength(3)
      const painted = puts.mock.calls.length
      expect(painted).toBeGreaterThanOrEqual(3)

      for (const id of ['h1', 'h2', 'h3', 'o1']) {
        await wrapper.find(`[data-testid=neuron-${id}]`).trigger('mouseenter')
        await wrapper.vm.$nextTick()
      }
      expect(wrapper.find('[data-testid=diagram-readout]').text()).toMatch(/o1/)
      expect(puts).toHaveBeenCalledTimes(painted)

      // New weights: each map is painted again.
      experiment.setInitialWeight(0, 2)
      await wrapper.vm.$nextTick()
      await wrapper.vm.$nextTick()
      expect(puts.mock.calls.length).toBeGreaterThanOrEqual(painted + 3)
      wrapper.unmount()
    })

    it('are repainted with the live weights while training, and once for a selected epoch’s row', async () => {
      // The real engine in (in-process) workers on simulated time.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
      setFrameScheduler((fn) => setTimeout(fn, 0))
      installSimulatedHost()
      const { puts, experiment } = countedMapsOnXor()
      experiment.experiment.training.epochs = 50_000
      const wrapper = mount(NetworkDiagram)
      const training = useTrainingStore()
      // A thousand epochs a second: the diagram redraws every 250 ms of the job.
      training.setPace(1000)
      training.train()
      const rows = (): number => training.runs[0]?.table.rowCount ?? 0
      /** Paints while the job trains `ms` more (and brings rows). */
      async function paintsOver(ms: number): Promise<number> {
        const [start, before] = [puts.mock.calls.length, rows()]
        await vi.advanceTimersByTimeAsync(ms)
        expect(rows()).toBeGreaterThan(before)
        expect(training.status).toBe('running')
        return puts.mock.calls.length - start
      }
      await advanceUntil(() => rows() > 50)
      expect(await paintsOver(1000)).toBeGreaterThanOrEqual(3 * 3)
      training.selectEpoch(50)
      await vi.advanceTimersByTimeAsync(300)
      expect(wrapper.find('[data-testid=diagram-caption]').text()).toBe('epoch 51 (η = 0.5)')
      expect(await paintsOver(1000)).toBe(0)
      training.selectEpoch(null)
      expect(await paintsOver(1000)).toBeGreaterThanOrEqual(3 * 3)
      training.reset()
      wrapper.unmount()
    })
  })
})
