// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Chart, ChartEvent, TooltipItem } from 'chart.js'
import {
  decimateMinMax,
  firstEpochBelow,
  GrowingDecimation,
  legendRow,
  nearestIndex,
  SERIES_COLORS,
  visibleIndices,
  type Point,
} from '../../src/renderer/src/chart'
import { epochMode, epochTick, hoveredEpoch, lossChartConfig, lossDataset, lossTick, tooltipCallbacks } from '../../src/renderer/src/chart/loss-chart-config'
import { clampRange, dragRange, wheelFactor, zoomAt } from '../../src/renderer/src/chart/zoom'
import LossChart from '../../src/renderer/src/components/LossChart.vue'
import { useTrainingStore } from '../../src/renderer/src/stores/training'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { formatNumber } from '../../src/renderer/src/format'
import { arraySeries, type LossSeries } from '../../src/shared/engine/loss-series'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { loadSheet } from '../shared/reference'
import { engineRun, sheetRuns } from './engine-runs'
import { generateDataset } from '../../src/shared/data/dataset'

const sheet = loadSheet()
const LOOK = { logScale: false, text: '#333', grid: '#ddd', background: '#fff' }

/** A series of plain numbers, shaped as the store's. */
const seriesOf = (ys: number[]) => arraySeries(ys)

describe('min-max decimation', () => {
  it('keeps every point of a short range, as {x: epoch, y: E_tot}', () => {
    const config = runConfigs(defaultExperiment())[0]
    const t = new Trainer(config)
    t.step(35)
    const points = decimateMinMax(t.losses, 0, t.losses.length, 100)
    expect(points).toHaveLength(35)
    points.forEach((p, i) => expect(p).toEqual({ x: i + 1, y: t.losses.get(i) }))
    expect(points[34].y).toBeCloseTo(sheet.summary.eTotal['0.5'][34], 13)
    expect(decimateMinMax(t.losses, 10, 20, 100).map((p) => p.x)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
    expect(decimateMinMax(t.losses, 5, 5, 100)).toEqual([])
  })

  it('a million epochs: bounded length, first and last kept, every bucket’s min and max preserved, in order', () => {
    const n = 1_000_000
    // A decaying loss with noise, one huge spike, one deep dip and a NaN.
    const ys = Array.from({ length: n }, (_, i) => 1 / (1 + i / 1000) + 1e-4 * Math.sin(i * 0.7))
    ys[123_457] = 42
    ys[654_321] = -3
    ys[500_000] = NaN
    const losses = seriesOf(ys)
    const buckets = 640
    const points = decimateMinMax(losses, 0, n, buckets)
    expect(points.length).toBeLessThanOrEqual(2 * buckets + 2)
    expect(points.length).toBeGreaterThan(buckets)
    expect(points[0]).toEqual({ x: 1, y: ys[0] })
    expect(points[points.length - 1]).toEqual({ x: n, y: ys[n - 1] })
    for (let i = 1; i < points.length; i++) expect(points[i].x).toBeGreaterThan(points[i - 1].x)
    // Every point is a real epoch with its exact value.
    for (const p of points) expect(p.y).toBe(ys[p.x - 1])
    expect(points).toContainEqual({ x: 123_458, y: 42 })
    expect(points).toContainEqual({ x: 654_322, y: -3 })
    // Each bucket's min and max are among the points.
    const drawn = new Set(points.map((p) => p.x - 1))
    for (let k = 0; k < buckets; k++) {
      const lo = Math.floor((k * n) / buckets)
      const hi = Math.floor(((k + 1) * n) / buckets)
      // The first epoch holding the bucket's smallest (largest) value; NaN is never either.
      let min = -1
      let max = -1
      for (let i = lo; i < hi; i++) {
        if (Number.isNaN(ys[i])) continue
        if (min < 0 || ys[i] < ys[min]) min = i
        if (max < 0 || ys[i] > ys[max]) max = i
      }
      expect(drawn.has(min), `bucket ${k} min`).toBe(true)
      expect(drawn.has(max), `bucket ${k} max`).toBe(true)
    }
    expect(points.some((p) => Number.isNaN(p.y))).toBe(false)
  })

  it('a sub-range (zoom) is decimated on its own: its ends kept, bounded, and every epoch once narrow', () => {
    const n = 200_000
    const ys = Array.from({ length: n }, (_, i) => Math.cos(i / 50))
    const losses = seriesOf(ys)
    const [from, to] = visibleIndices(n, { min: 1000.4, max: 90_000.6 })
    expect([from, to]).toEqual([998, 90_002])
    const zoomed = decimateMinMax(losses, from, to, 500)
    expect(zoomed.length).toBeLessThanOrEqual(1002)
    expect(zoomed[0].x).toBe(999)
    expect(zoomed[zoomed.length - 1].x).toBe(90_002)
    const [a, b] = visibleIndices(n, { min: 5000, max: 5600 })
    expect(decimateMinMax(losses, a, b, 500)).toHaveLength(b - a)
    expect(visibleIndices(n, null)).toEqual([0, n])
    expect(visibleIndices(10, { min: 50, max: 60 })).toEqual([10, 10])
  })

  it('a bucket of infinities or NaN still draws something, and nearestIndex finds drawn points', () => {
    const ys = [1, 2, Infinity, Infinity, Infinity, Infinity, NaN, NaN, NaN, NaN, 3, 4]
    const points = decimateMinMax(seriesOf(ys), 0, ys.length, 3)
    expect(points[0]).toEqual({ x: 1, y: 1 })
    expect(points.some((p) => p.y === Infinity)).toBe(true)
    expect(points[points.length - 1]).toEqual({ x: 12, y: 4 })
    const pts = [1, 4, 9, 20].map((x) => ({ x, y: 0 }))
    expect([0, 2, 3, 7, 15, 100].map((x) => nearestIndex(pts, x))).toEqual([0, 0, 1, 2, 3, 3])
    expect(nearestIndex([], 3)).toBe(-1)
  })
})

describe('decimation of a growing run', () => {
  it('fed in uneven steps, it keeps every aligned bucket’s min and max, first and last, bounded, reading only new epochs', () => {
    const n = 300_000
    const ys = Array.from({ length: n }, (_, i) => Math.exp(-i / 40_000) + 0.01 * Math.sin(i / 7) + (i % 50_021 === 0 ? 5 : 0))
    ys[77_777] = NaN
    ys[200_003] = -1
    const buckets = 400
    const d = new GrowingDecimation(buckets)
    let reads = 0
    const data = Float64Array.from(ys)
    // A series that counts the values read, one by one or a stretch at a time.
    const growing: LossSeries & { length: number } = {
      length: 0,
      get: (i) => (reads++, ys[i]),
      toArray: () => new Float64Array(0),
      segments: (from, to, visit) => {
        to = Math.min(growing.length, to)
        if (to <= from) return
        reads += to - from
        visit(data, from, from, to - from)
      },
    }
    let length = 0
    let step = 1
    while (length < n) {
      const previous = length
      length = Math.min(n, length + step)
      step = step * 3 + 7
      growing.length = length
      const before = reads
      const points = d.points(growing)
      // Each update reads the new epochs and the first and last one; only a short series is read whole.
      if (length > 2 * buckets + 2) expect(reads - before).toBe(length - previous + 2)
      expect(points.length).toBeLessThanOrEqual(2 * buckets + 2)
      expect(points[0]).toEqual({ x: 1, y: ys[0] })
      expect(points[points.length - 1]).toEqual({ x: length, y: ys[length - 1] })
      for (let i = 1; i < points.length; i++) expect(points[i].x).toBeGreaterThan(points[i - 1].x)
    }
    // The final picture: buckets of a power-of-two width w, each one's min and max drawn.
    const points = d.points(growing)
    let w = 1
    while (Math.ceil(n / w) > buckets) w *= 2
    expect(Math.ceil(n / w)).toBeGreaterThan(buckets / 2)
    const drawn = new Set(points.map((p) => p.x - 1))
    for (const p of points) expect(Object.is(p.y, ys[p.x - 1])).toBe(true)
    for (let lo = 0; lo < n; lo += w) {
      let min = -1
      let max = -1
      for (let i = lo; i < Math.min(n, lo + w); i++) {
        if (Number.isNaN(ys[i])) continue
        if (min < 0 || ys[i] < ys[min]) min = i
        if (max < 0 || ys[i] > ys[max]) max = i
      }
      expect(drawn.has(min), `bucket at ${lo}: min`).toBe(true)
      expect(drawn.has(max), `bucket at ${lo}: max`).toBe(true)
    }
    expect(points).toContainEqual({ x: 200_004, y: -1 })
    expect(points).toContainEqual({ x: 50_022, y: ys[50_021] })
    // A series that shrank (a new run in the same place) starts over.
    growing.length = 10
    expect(d.points(growing)).toHaveLength(10)
  })
})

describe('loss legend', () => {
  it('legend: final E_tot, first epoch below the threshold, divergence', () => {
    const [run] = sheetRuns([2])
    const row = legendRow({ ...run, stopBelow: 0.05 }, SERIES_COLORS[5])
    const expected = sheet.summary.eTotal['2']
    expect(row.finalLoss).toBe(run.losses.get(69))
    expect(row.finalLoss! / expected[69]).toBeCloseTo(1, 12)
    const below = expected.findIndex((e) => e < 0.05) + 1
    expect(below).toBeGreaterThan(1)
    expect(row.thresholdEpoch).toBe(below)
    expect(row.divergedAt).toBeNull()
    expect(firstEpochBelow(run.losses, 0)).toBeNull()
    // Scanning a growing run from where the last scan stopped finds the same epoch.
    expect(firstEpochBelow(run.losses, 0.05, below - 1)).toBe(below)
    expect(firstEpochBelow(run.losses, 0.05, below)).toBe(below + 1)
    expect(legendRow({ ...run, stopBelow: 0.05 }, SERIES_COLORS[5], below).thresholdEpoch).toBe(below)

    // Linear units with a huge rate blow up: the trainer stops and says at which epoch.
    const exp = defaultExperiment()
    exp.network.activations = ['linear', 'linear']
    exp.training.learningRates = [50]
    exp.training.epochs = 1000
    const diverging = engineRun(runConfigs(exp)[0])
    expect(diverging.stopReason?.kind).toBe('diverged')
    const d = legendRow({ ...diverging, stopBelow: 0 }, SERIES_COLORS[0])
    expect(d.divergedAt).toBe(diverging.epochs + 1)
    expect(d.epochs).toBe(diverging.epochs)
  })
})

describe('chart configuration', () => {
  it('takes decimated points as they are: parsing off, normalized, linear x, no decimation of its own', () => {
    const config = lossChartConfig([lossDataset(0.5, SERIES_COLORS[2], [])], LOOK, null)
    const o = config.options!
    expect(o.parsing).toBe(false)
    expect(o.normalized).toBe(true)
    expect(o.indexAxis).toBe('x')
    expect(o.scales!.x!.type).toBe('linear')
    expect(o.scales!.y!.type).toBe('linear')
    expect(o.plugins!.decimation).toEqual({ enabled: false })
    expect(o.interaction!.mode).toBe('epoch')
    expect(config.data.datasets[0].label).toBe('η = 0.5')
    expect(config.data.datasets[0].borderColor).toBe('#f4b400')
    const log = lossChartConfig([], { ...LOOK, logScale: true }, { min: 10, max: 20 })
    expect(log.options!.scales!.y!.type).toBe('logarithmic')
    expect(log.options!.scales!.x!.min).toBe(10)
    expect(log.options!.scales!.x!.max).toBe(20)
  })

  it('labels ticks with formatters made once: epochs with separators, E_tot as the app shows numbers, log axes as Chart.js picks', () => {
    const config = lossChartConfig([], { ...LOOK, logScale: true }, null)
    expect(config.options!.scales!.x!.ticks!.callback).toBe(epochTick)
    expect(epochTick(1_000_000)).toBe('1,000,000')
    expect(epochTick('2500')).toBe('2,500')
    const linear = lossTick(false)
    expect([0, 0.1 + 0.2, 0.25, 1e-5].map((v, i, all) => linear(v, i, all.map((value) => ({ value }))))).toEqual(['0', '0.3', '0.25', '1e-5'])
    // A log axis from 1e-3 to 1: Chart.js's ticks carry their mantissa; only 1, 2, 3, 5… and the top fifth are labelled.
    const ticks = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => ({ value: m * 1e-3, significand: m }))
    expect(ticks.map((t, i) => lossTick(true)(t.value, i, ticks))).toEqual(['0.001', '0.002', '0.003', '', '0.005', '', '', '', '0.009'])
  })

  it('uses the seed chart’s colours in its order of rates', () => {
    expect(SERIES_COLORS.slice(0, 6)).toEqual(['#4285f4', '#db4437', '#f4b400', '#0f9d58', '#ff6d01', '#46bdc6'])
  })
})

describe('hover', () => {
  /** Just enough of a Chart for the interaction mode and the tooltip callbacks. */
  function fakeChart(data: Point[][], pxPerEpoch: number) {
    const elements = data.map((d) => d.map((p) => ({ x: p.x * pxPerEpoch, y: p.y })))
    return {
      scales: { x: { getValueForPixel: (px: number) => px / pxPerEpoch } },
      data: { datasets: data.map((d, i) => ({ label: `η = ${i}`, data: d })) },
      isDatasetVisible: () => true,
      getDatasetMeta: (i: number) => ({ data: elements[i] }),
    } as unknown as Chart
  }

  it('finds the epoch under the pointer and shows its exact E_tot from the full series, not the drawn points', () => {
    const n = 100_000
    const full = [Array.from({ length: n }, (_, i) => 1 / (i + 1)), Array.from({ length: 500 }, (_, i) => 2 / (i + 1))]
    const drawn = full.map((ys) => decimateMinMax(seriesOf(ys), 0, ys.length, 100))
    expect(drawn[0].length).toBeLessThan(300)
    const chart = fakeChart(drawn, 0.01) // 100 epochs per pixel
    const items = epochMode(chart, { x: 123.456 } as ChartEvent, {}, false)
    expect(hoveredEpoch(chart)).toBe(12_346)
    expect(items.map((it) => it.datasetIndex)).toEqual([0, 1])
    // The tooltip sits on the drawn point nearest that epoch.
    expect(items[0].index).toBe(nearestIndex(drawn[0], 12_346))
    const valueAt = (i: number, epoch: number) => (epoch <= full[i].length ? full[i][epoch - 1] : undefined)
    const { title, label } = tooltipCallbacks(valueAt)
    const tooltipItem = (i: number) =>
      ({ chart, datasetIndex: i, dataset: chart.data.datasets[i], parsed: drawn[i][items[i].index] }) as unknown as TooltipItem<'line'>
    expect(title([tooltipItem(0)])).toBe('Epoch 12346')
    expect(label(tooltipItem(0))).toBe(`η = 0: E_tot = ${formatNumber(1 / 12_346, 10)}`)
    // A shorter run has no such epoch.
    expect(label(tooltipItem(1))).toBe('η = 1: E_tot = —')
    // Past the end of the data the pointer means the last epoch.
    epochMode(chart, { x: 5000 } as ChartEvent, {}, false)
    expect(hoveredEpoch(chart)).toBe(n)
    expect(epochMode(chart, { x: null } as ChartEvent, {}, false)).toEqual([])
  })
})

describe('zoom', () => {
  const full = { min: 1, max: 1000 }
  it('drag selects the range between the two positions', () => {
    expect(dragRange(300, 100, (px) => px / 2)).toEqual({ min: 50, max: 150 })
    expect(dragRange(100, 102, (px) => px)).toBeNull()
  })
  it('wheel zooms about the pointer, stays inside the data and never below two epochs', () => {
    const r = zoomAt(full, 250, 0.5, full)
    expect(r.min).toBeCloseTo(125.5)
    expect(r.max).toBeCloseTo(625)
    expect(zoomAt(r, 250, 10, full)).toEqual(full)
    const tiny = zoomAt({ min: 5, max: 6 }, 5.5, 0.1, full)
    expect(tiny.max - tiny.min).toBeCloseTo(2)
    expect(clampRange({ min: -50, max: 50 }, full)).toEqual({ min: 1, max: 101 })
    expect(wheelFactor(100)).toBeGreaterThan(1)
    expect(wheelFactor(-100)).toBeLessThan(1)
  })
})

describe('LossChart', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('one dataset per rate, the points of every epoch, and a legend row per run', async () => {
    const training = useTrainingStore()
    training.runs = sheetRuns(sheet.summary.learningRates)
    training.status = 'done'
    useViewStore().precision = 15
    const wrapper = mount(LossChart)
    await wrapper.vm.$nextTick()
    const canvas = wrapper.find('[data-testid=loss-chart]')
    expect(canvas.attributes('data-points')).toBe('70')
    expect(canvas.attributes('data-drawn')).toBe('70')
    expect(canvas.attributes('data-datasets')).toBe('6')
    const rows = wrapper.findAll('[data-testid=loss-legend] tbody tr')
    expect(rows).toHaveLength(6)
    sheet.summary.learningRates.forEach((rate, i) => {
      const cells = rows[i].findAll('td').map((c) => c.text())
      expect(cells[1]).toBe(String(rate))
      expect(cells[2]).toBe('70')
      expect(Number(cells[3]) / sheet.summary.eTotal[String(rate)][69]).toBeCloseTo(1, 13)
      expect(cells[5]).toBe('no')
    })
    await rows[3].trigger('click')
    expect(training.selectedRun).toBe(3)
  })

  it('follows a run as its epochs arrive', async () => {
    const training = useTrainingStore()
    const config = runConfigs(defaultExperiment())[0]
    const t = new Trainer(config)
    training.runs = [{ ...engineRun(config, 1), losses: t.losses, table: t.table! }]
    const wrapper = mount(LossChart)
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid=loss-chart]').attributes('data-points')).toBe('0')
    t.step(12)
    training.version++
    await vi.waitFor(async () => {
      await wrapper.vm.$nextTick()
      expect(wrapper.find('[data-testid=loss-chart]').attributes('data-points')).toBe('12')
    })
    t.step(30)
    training.version++
    await vi.waitFor(async () => {
      await wrapper.vm.$nextTick()
      expect(wrapper.find('[data-testid=loss-chart]').attributes('data-points')).toBe('42')
    })
  })

  it('a long run: data-points counts every epoch, the chart gets a bounded decimated array', async () => {
    const training = useTrainingStore()
    const config = { ...runConfigs(defaultExperiment())[0], epochs: 50_000 }
    training.runs = [engineRun(config)]
    training.status = 'done'
    const wrapper = mount(LossChart)
    await wrapper.vm.$nextTick()
    const canvas = wrapper.find('[data-testid=loss-chart]')
    expect(canvas.attributes('data-points')).toBe('50000')
    const drawn = Number(canvas.attributes('data-drawn'))
    expect(drawn).toBeGreaterThan(100)
    expect(drawn).toBeLessThanOrEqual(2 * 600 + 2)
  })

  it('adds the selected run’s E_test, acc_train and acc_test (right axis) from its table, and moves them with the selection', async () => {
    const training = useTrainingStore()
    training.runs = sheetRuns([0.3, 1], (exp) => {
      exp.network = { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }
      const data = generateDataset({ generator: 'xor', count: 40, noise: 0, seed: 3, testFraction: 0.25 }, 1)
      exp.samples = data.samples
      exp.test = data.test
      exp.init = { seed: 5, scheme: 'xavier' }
      exp.training.epochs = 20
    })
    training.status = 'done'
    const wrapper = mount(LossChart)
    await wrapper.vm.$nextTick()
    const canvas = wrapper.find('[data-testid=loss-chart]')
    // E_tot of both runs, then run 1's three other lines.
    expect(canvas.attributes('data-datasets')).toBe('5')
    expect(wrapper.findAll('[data-testid=loss-chart-key] span').map((s) => s.text())).toEqual([
      '—— E_tot',
      '– – E_test',
      '··· acc_train (right axis)',
      '–·– acc_test (right axis)',
    ])
    const { layout, table } = training.runs[0]
    const accTest = table.column(layout.names.indexOf('acc_test'))
    expect(accTest.every((a) => a >= 0 && a <= 1)).toBe(true)
    training.selectedRun = 1
    await wrapper.vm.$nextTick()
    expect(canvas.attributes('data-datasets')).toBe('5')
    // The sheet has no test set and no classes: E_tot alone, no key.
    training.runs = sheetRuns()
    training.version++
    await vi.waitFor(async () => {
      await wrapper.vm.$nextTick()
      expect(wrapper.find('[data-testid=loss-chart]').attributes('data-datasets')).toBe('1')
    })
    expect(wrapper.find('[data-testid=loss-chart-key]').exists()).toBe(false)
  })
})
