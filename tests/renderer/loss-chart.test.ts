// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { appendPoints, firstEpochBelow, legendRow, SERIES_COLORS, type Point } from '../../src/renderer/src/chart'
import { lossChartConfig, lossDataset } from '../../src/renderer/src/chart/loss-chart-config'
import { clampRange, dragRange, wheelFactor, zoomAt } from '../../src/renderer/src/chart/zoom'
import LossChart from '../../src/renderer/src/components/LossChart.vue'
import { useTrainingStore } from '../../src/renderer/src/stores/training'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { loadSheet } from '../shared/reference'
import { engineRun, sheetRuns } from './engine-runs'

const sheet = loadSheet()
const LOOK = { logScale: false, text: '#333', grid: '#ddd', background: '#fff' }

describe('loss series', () => {
  it('appends only the new epochs of a growing run, as {x: epoch, y: E_tot}', () => {
    const config = runConfigs(defaultExperiment())[0]
    const t = new Trainer(config)
    const points: Point[] = []
    t.step(10)
    expect(appendPoints(points, t.losses)).toBe(10)
    const kept = points[3]
    t.step(25)
    expect(appendPoints(points, t.losses)).toBe(25)
    expect(points).toHaveLength(35)
    expect(points[3]).toBe(kept)
    points.forEach((p, i) => expect(p).toEqual({ x: i + 1, y: t.losses.get(i) }))
    expect(points[34].y).toBeCloseTo(sheet.summary.eTotal['0.5'][34], 13)
    expect(appendPoints(points, t.losses)).toBe(0)
  })

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
  it('decimates as Chart.js requires: parsing off on the chart, linear x, indexAxis x, min-max', () => {
    const config = lossChartConfig([lossDataset(0.5, SERIES_COLORS[2], [])], LOOK, null)
    const o = config.options!
    expect(o.parsing).toBe(false)
    expect(o.indexAxis).toBe('x')
    expect(o.scales!.x!.type).toBe('linear')
    expect(o.scales!.y!.type).toBe('linear')
    expect(o.plugins!.decimation).toEqual({ enabled: true, algorithm: 'min-max' })
    expect(config.data.datasets[0].label).toBe('η = 0.5')
    expect(config.data.datasets[0].borderColor).toBe('#f4b400')
    const log = lossChartConfig([], { ...LOOK, logScale: true }, { min: 10, max: 20 })
    expect(log.options!.scales!.y!.type).toBe('logarithmic')
    expect(log.options!.scales!.x!.min).toBe(10)
    expect(log.options!.scales!.x!.max).toBe(20)
  })

  it('uses the seed chart’s colours in its order of rates', () => {
    expect(SERIES_COLORS.slice(0, 6)).toEqual(['#4285f4', '#db4437', '#f4b400', '#0f9d58', '#ff6d01', '#46bdc6'])
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
})
