import type { StopReason } from '@shared/engine/types'

/** What the chart needs of a run: its rate, its E_tot series, why it stopped, and its threshold. */
export interface LossRun {
  learningRate: number
  losses: { length: number; get(i: number): number }
  stopReason: StopReason | null
  stopBelow: number
}

export interface Point {
  x: number
  y: number
}

/**
 * Appends the epochs not yet in `points` ({x: epoch (1-based), y: E_tot}), the form Chart.js reads
 * without parsing. The caller keeps the array and hands it to the chart again after appending
 * (Chart.js #11929: after decimation, push() on dataset.data is lost). Returns how many were added.
 */
export function appendPoints(points: Point[], losses: LossRun['losses']): number {
  const from = points.length
  for (let i = from; i < losses.length; i++) points.push({ x: i + 1, y: losses.get(i) })
  return losses.length - from
}

export interface LegendRow {
  learningRate: number
  color: string
  epochs: number
  finalLoss: number | null
  /** First epoch whose E_tot fell below the threshold; null when it never did (or there is none). */
  thresholdEpoch: number | null
  /** Epoch at which the run diverged; null when it did not. */
  divergedAt: number | null
}

export function firstEpochBelow(losses: LossRun['losses'], threshold: number): number | null {
  if (!(threshold > 0)) return null
  for (let i = 0; i < losses.length; i++) if (losses.get(i) < threshold) return i + 1
  return null
}

export function legendRow(run: LossRun, color: string): LegendRow {
  const n = run.losses.length
  return {
    learningRate: run.learningRate,
    color,
    epochs: n,
    finalLoss: n ? run.losses.get(n - 1) : null,
    thresholdEpoch: firstEpochBelow(run.losses, run.stopBelow),
    // The trainer keeps the epochs before the bad one: the bad epoch is the next.
    divergedAt: run.stopReason?.kind === 'diverged' ? run.stopReason.epochs + 1 : null,
  }
}
