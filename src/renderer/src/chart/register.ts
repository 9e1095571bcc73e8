import { Chart, Decimation, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js'

/** Only the pieces the loss chart uses, so the bundle carries no more of Chart.js than that. */
let done = false
export function registerChart(): typeof Chart {
  if (!done) {
    Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation)
    done = true
  }
  return Chart
}
