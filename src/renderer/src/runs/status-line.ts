import type { StopReason } from '@shared/engine/types'

interface FinishedRun {
  learningRate: number
  config: { epochs: number }
  stopReason: StopReason | null
}

/** Counts as the progress figures beside them write them (the reader's locale). */
const n = (x: number): string => x.toLocaleString()

/**
 * The status line once a job has ended. A run cut short says how far it got of how far it was
 * meant to go ("stopped at 12,505,315 of 100,000,000 epochs"), so a stop is never mistaken for the end.
 */
export function stopSummary(runs: readonly FinishedRun[]): string | null {
  const ended = runs.filter((r) => r.stopReason)
  if (ended.length === 0) return null
  const bad = ended.find((r) => r.stopReason!.kind === 'error' || r.stopReason!.kind === 'diverged')
  if (bad) return bad.stopReason!.message
  const stopped = ended.filter((r) => r.stopReason!.kind === 'stopped')
  const at = (r: FinishedRun): string => `at ${n(r.stopReason!.epochs)} of ${n(r.config.epochs)} epochs`
  if (stopped.length && runs.length === 1) return `Stopped ${at(stopped[0])}.`
  if (stopped.length) return `Stopped: ${stopped.map((r) => `η = ${r.learningRate} ${at(r)}`).join('; ')}.`
  return ended.length === 1 ? ended[0].stopReason!.message : `${ended.length} runs finished.`
}
