import type {
  Chart,
  ChartConfiguration,
  ChartDataset,
  ChartEvent,
  ChartType,
  InteractionItem,
  InteractionModeFunction,
  Plugin,
  TooltipItem,
} from 'chart.js'
import { formatNumber } from '../format'
import { nearestIndex } from './decimate'
import type { Point } from './loss-series'
import type { XRange } from './zoom'
import { LINE_STYLES, type Quantity } from './lines'

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Options of backgroundPlugin. */
    lossBackground?: { color?: string; _type?: TType }
  }
  interface InteractionModeMap {
    /** The epoch under the pointer (see epochMode). */
    epoch: InteractionModeFunction
  }
}

export interface ChartLook {
  logScale: boolean
  /** Text and grid colours of the current theme. */
  text: string
  grid: string
  /** Canvas background (painted, so an exported PNG is not transparent). */
  background: string
}

export type LossDataset = ChartDataset<'line', Point[]>

/** Line widths: the selected run's stands out from the others'. */
export const LINE_WIDTH = { selected: 3.5, other: 1.5, only: 2 } as const

export function lossDataset(learningRate: number, color: string, data: Point[], quantity: Quantity = 'E_tot'): LossDataset {
  const style = LINE_STYLES[quantity]
  return {
    label: `η = ${learningRate}`,
    yAxisID: style.axis,
    borderDash: style.dash,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: LINE_WIDTH.only,
    pointRadius: 0,
    pointHoverRadius: 3,
    // Straight segments: the decimated line must pass through the real points.
    tension: 0,
    fill: false,
  }
}

/** Paints the background before anything else, so toBase64Image() gives an opaque picture. */
export const backgroundPlugin: Plugin<'line'> = {
  id: 'lossBackground',
  beforeDraw(chart, _args, options: { color?: string }) {
    const { ctx, width, height } = chart
    ctx.save()
    ctx.fillStyle = options.color ?? '#fff'
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  },
}

/** The exact value of a dataset's line at an epoch (1-based), from the full series; undefined past its end. */
export type ValueAt = (datasetIndex: number, epoch: number) => number | undefined
/** What a dataset's line shows (E_tot unless told). */
export type NameAt = (datasetIndex: number) => string

/** The epoch under the pointer, per chart, as the last `epoch` interaction found it. */
const hoveredEpochs = new WeakMap<object, number>()

export function hoveredEpoch(chart: object): number | undefined {
  return hoveredEpochs.get(chart)
}

/**
 * Interaction mode 'epoch': the epoch nearest the pointer's x (rounded, within the data), and for
 * every visible dataset the drawn point nearest that epoch (the chart holds decimated points, so
 * the tooltip sits on the line; its numbers come from the full series, see lossChartConfig).
 */
export const epochMode: InteractionModeFunction = (chart: Chart, e: ChartEvent): InteractionItem[] => {
  const scale = chart.scales.x
  if (!scale || e.x === null) return []
  const at = scale.getValueForPixel(e.x)
  if (at === undefined || !Number.isFinite(at)) return []
  let first = Infinity
  let last = -Infinity
  chart.data.datasets.forEach((ds, i) => {
    const data = ds.data as Point[]
    if (!data.length || !chart.isDatasetVisible(i)) return
    first = Math.min(first, data[0].x)
    last = Math.max(last, data[data.length - 1].x)
  })
  if (!(first <= last)) return []
  const epoch = Math.min(last, Math.max(first, Math.round(at)))
  hoveredEpochs.set(chart, epoch)
  const items: InteractionItem[] = []
  chart.data.datasets.forEach((ds, i) => {
    const data = ds.data as Point[]
    if (!data.length || !chart.isDatasetVisible(i)) return
    const k = nearestIndex(data, epoch)
    const element = chart.getDatasetMeta(i).data[k]
    if (element) items.push({ element, datasetIndex: i, index: k })
  })
  return items
}

/** A drawn point's own value at an epoch, when the chart has one there. */
function drawnValue(item: TooltipItem<'line'>, epoch: number): number | undefined {
  const data = item.dataset.data as Point[]
  const k = nearestIndex(data, epoch)
  return k >= 0 && data[k].x === epoch ? data[k].y : undefined
}

/**
 * Tooltip texts: the hovered epoch and, per run, its exact E_tot there, looked up by `valueAt` in
 * the full series (without it, only an epoch that is drawn has a value).
 */
export function tooltipCallbacks(valueAt?: ValueAt, nameAt?: NameAt) {
  const epochOf = (item: TooltipItem<'line'>): number => hoveredEpochs.get(item.chart) ?? Math.round(item.parsed.x ?? 0)
  return {
    title(items: TooltipItem<'line'>[]): string {
      return items.length ? `Epoch ${epochOf(items[0])}` : ''
    },
    label(item: TooltipItem<'line'>): string {
      const epoch = epochOf(item)
      const value = valueAt ? valueAt(item.datasetIndex, epoch) : drawnValue(item, epoch)
      return `${item.dataset.label}: ${nameAt?.(item.datasetIndex) ?? 'E_tot'} = ${value === undefined ? '—' : formatNumber(value, 10)}`
    },
  }
}

/**
 * Tick labels, from formatters made once. Chart.js's own numeric labels ask for an Intl.NumberFormat
 * whose decimals follow the tick spacing, and make a new one for each new spacing: up to 9 ms of a
 * single update while a run grows (measured in Chromium). Which ticks of a log axis get a label is
 * Chart.js's rule (mantissa 1, 2, 3, 5, 10 or 15, or the last fifth of the ticks).
 */
const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
export const epochTick = (value: number | string): string => integers.format(Number(value))
export function lossTick(log: boolean) {
  return (value: number | string, index: number, ticks: { value: number; significand?: number }[]): string => {
    const v = Number(value)
    if (log && v !== 0) {
      const mantissa = ticks[index]?.significand || v / 10 ** Math.floor(Math.log10(v))
      if (![1, 2, 3, 5, 10, 15].includes(mantissa) && index <= 0.8 * ticks.length) return ''
    }
    return formatNumber(v, 6)
  }
}

export interface ChartHooks {
  /** Exact values for the tooltip (default: the drawn point's own). */
  valueAt?: ValueAt
  nameAt?: NameAt
  /** The plot changed size: its decimation should follow the new width. */
  onResize?: () => void
}

/**
 * Everything Chart.js is told. The chart is handed already decimated points (min-max per pixel
 * column, see decimate.ts), a new small array per update; Chart.js's own decimation stays off, so
 * it never holds nor observes a long array (Chart.js #11929). Parsing off and normalized data make
 * its updates cheap.
 */
export function lossChartConfig(
  datasets: LossDataset[],
  look: ChartLook,
  range: XRange | null,
  hooks: ChartHooks = {}
): ChartConfiguration<'line', Point[]> {
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      indexAxis: 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: 'epoch', axis: 'x', intersect: false },
      onResize: hooks.onResize ? () => hooks.onResize?.() : undefined,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'epoch', color: look.text },
          ticks: { color: look.text, precision: 0, callback: epochTick },
          grid: { color: look.grid },
          min: range?.min,
          max: range?.max,
        },
        y: {
          type: look.logScale ? 'logarithmic' : 'linear',
          title: { display: true, text: 'E_tot', color: look.text },
          ticks: { color: look.text, callback: lossTick(look.logScale) },
          grid: { color: look.grid },
        },
        // Accuracy (acc_train, acc_test), shown only when a line uses it.
        y2: {
          type: 'linear',
          position: 'right',
          display: 'auto',
          min: 0,
          max: 1,
          title: { display: true, text: 'accuracy', color: look.text },
          ticks: { color: look.text },
          grid: { drawOnChartArea: false },
        },
      },
      plugins: {
        decimation: { enabled: false },
        tooltip: { callbacks: tooltipCallbacks(hooks.valueAt, hooks.nameAt) },
        legend: { display: false },
        lossBackground: { color: look.background },
      },
    },
    plugins: [backgroundPlugin],
  }
}
