import type { ChartConfiguration, ChartDataset, ChartType, Plugin, TooltipItem } from 'chart.js'
import { formatNumber } from '../stores/view'
import type { Point } from './loss-series'
import type { XRange } from './zoom'

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Options of backgroundPlugin. */
    lossBackground?: { color?: string; _type?: TType }
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

export function lossDataset(learningRate: number, color: string, data: Point[]): LossDataset {
  return {
    label: `η = ${learningRate}`,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
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

export function tooltipTitle(items: TooltipItem<'line'>[]): string {
  return items.length ? `Epoch ${Math.round(items[0].parsed.x ?? 0)}` : ''
}

export function tooltipLabel(item: TooltipItem<'line'>): string {
  return `${item.dataset.label}: E_tot = ${formatNumber(item.parsed.y ?? NaN, 10)}`
}

/**
 * Everything Chart.js is told. Decimation needs parsing off on the chart (not only the dataset),
 * a linear x axis and indexAxis 'x' (ENVIRONMENT.md); min-max keeps every spike of a diverging run.
 */
export function lossChartConfig(datasets: LossDataset[], look: ChartLook, range: XRange | null): ChartConfiguration<'line', Point[]> {
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
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'epoch', color: look.text },
          ticks: { color: look.text, precision: 0 },
          grid: { color: look.grid },
          min: range?.min,
          max: range?.max,
        },
        y: {
          type: look.logScale ? 'logarithmic' : 'linear',
          title: { display: true, text: 'E_tot', color: look.text },
          ticks: { color: look.text },
          grid: { color: look.grid },
        },
      },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        tooltip: { callbacks: { title: tooltipTitle, label: tooltipLabel } },
        legend: { display: false },
        lossBackground: { color: look.background },
      },
    },
    plugins: [backgroundPlugin],
  }
}
