import type { RunConfig, StopReason } from '../engine/types'

/**
 * Messages between whoever drives training (Electron main, or the browser edition's page) and a
 * training worker. One worker trains one run; every message carries the run id of the job it
 * belongs to, so a receiver can ignore messages of a job it has replaced.
 */
export type TrainingCommand =
  /** `together`: how many runs of the job train at once (they share the CPU the page leaves, see restAfterSlice). */
  | { type: 'start'; runId: number; run: number; config: RunConfig; record: boolean; paused?: boolean; together?: number; pace?: number }
  /** At most `epochsPerSecond` epochs a second (0: as fast as it can); see paceOf. */
  | { type: 'pace'; runId: number; epochsPerSecond: number }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'step'; runId: number; epochs: number }
  | { type: 'stop'; runId: number }

export interface TrainingBatch {
  type: 'batch'
  runId: number
  /** Index of the run in its job (one per learning rate). */
  run: number
  /** First epoch row (0-based) in this batch, and how many rows it holds. */
  from: number
  count: number
  /**
   * One array per column of the layout but the constant ones (inputs and targets, see
   * constantColumns: the receiver has the config), `count` long; null when recording is off.
   */
  columns: Float64Array[] | null
  /** E_tot of the batch's epochs. */
  losses: Float64Array
  /** Parameters after the last epoch of the batch (the next epoch's starting point). */
  weights: Float64Array
  biases: Float64Array
  epochsPerSecond: number
}

export type TrainingEvent =
  | { type: 'started'; runId: number; run: number; columns: string[] }
  | TrainingBatch
  | { type: 'paused'; runId: number; run: number; epochs: number }
  | { type: 'done'; runId: number; run: number; stopReason: StopReason }
  | { type: 'error'; runId: number; run: number; message: string }

/** Buffers to transfer (not copy) with an event. */
export function transferables(event: TrainingEvent): ArrayBuffer[] {
  if (event.type !== 'batch') return []
  const arrays = [...(event.columns ?? []), event.losses, event.weights, event.biases]
  // Columns are views onto one buffer (EpochTable.slice); a transfer list must not repeat a buffer.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]
}

/**
 * The fastest pace a job can be held to (epochs a second); above it, full speed is the same thing
 * for the eye. The IPC contract refuses more.
 */
export const MAX_PACE = 10_000

/** A pace as the session applies it: a positive finite number up to MAX_PACE, or 0 (full speed) for anything else. */
export function paceOf(epochsPerSecond: number | undefined): number {
  return epochsPerSecond !== undefined && Number.isFinite(epochsPerSecond) && epochsPerSecond > 0 ? Math.min(epochsPerSecond, MAX_PACE) : 0
}

/** At most this many batches a second leave a worker, however fast it trains. */
export const BATCHES_PER_SECOND = 30
