import { Chart, Interaction, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js'
import { epochMode } from './loss-chart-config'

/**
 * Only the pieces the loss chart uses, so the bundle carries no more of Chart.js than that. No
 * Decimation: the chart decimates its points itself before handing them over (decimate.ts).
 */
let done = false
export function registerChart(): typeof Chart {
  if (!done) {
    Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip)
    Interaction.modes.epoch = epochMode
    done = true
  }
  return Chart
}
