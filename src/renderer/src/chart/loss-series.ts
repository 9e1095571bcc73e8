import type { LossSeries } from '@shared/engine/loss-series'
import type { StopReason } from '@shared/engine/types'

/** What the chart needs of a run: its rate, its E_tot series, why it stopped, and its threshold. */
export interface LossRun {
  learningRate: number
  losses: LossSeries
  stopReason: StopReason | null
  stopBelow: number
}

export interface Point {
  x: number
  y: number
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

/** First epoch (1-based) from index `from` on whose E_tot is below `threshold`; null when none (yet). */
export function firstEpochBelow(losses: LossSeries, threshold: number, from = 0): number | null {
  if (!(threshold > 0)) return null
  for (let i = from; i < losses.length; i++) if (losses.get(i) < threshold) return i + 1
  return null
}

/**
 * The legend's row of a run. `thresholdEpoch` may be given when the caller already knows it (the
 * chart scans a growing run only from where it left off); otherwise the series is scanned.
 */
export function legendRow(run: LossRun, color: string, thresholdEpoch?: number | null): LegendRow {
  const n = run.losses.length
  return {
    learningRate: run.learningRate,
    color,
    epochs: n,
    finalLoss: n ? run.losses.get(n - 1) : null,
    thresholdEpoch: thresholdEpoch !== undefined ? thresholdEpoch : firstEpochBelow(run.losses, run.stopBelow),
    // The trainer keeps the epochs before the bad one: the bad epoch is the next.
    divergedAt: run.stopReason?.kind === 'diverged' ? run.stopReason.epochs + 1 : null,
  }
}
