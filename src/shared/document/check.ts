import type { LossSeries } from '../engine/loss-series'
import type { StopReason } from '../engine/types'
import type { RunRecord } from './schema'

/** What a recomputed run offers for comparison: the engine's Trainer, or a run of the training store. */
export interface RunOutcome {
  losses: LossSeries
  weights: ArrayLike<number>
  biases: ArrayLike<number>
  stopReason: StopReason | null
}

/** A run saved before it ended: only its saved epochs can be compared. */
export const isPartial = (saved: RunRecord): boolean => saved.stopReason.kind === 'stopped' || saved.stopReason.kind === 'error'

/**
 * Compares a saved run with a recomputed one, bit for bit: the E_tot of every saved epoch, how the
 * run ended, and the final weights and biases when both stopped at the same epoch. Returns the
 * first difference as a sentence, or null. Equality, not Object.is: a hand-written 0 for −0 is no mismatch.
 */
export function compareRun(saved: RunRecord, got: RunOutcome): string | null {
  const n = saved.losses.length
  const m = got.losses.length
  for (let k = 0; k < Math.min(n, m); k++)
    if (got.losses.get(k) !== saved.losses[k])
      return `E_tot of epoch ${k + 1} is ${saved.losses[k]} in the file but ${got.losses.get(k)} when recomputed.`
  const partial = isPartial(saved)
  if (partial ? m < n : m !== n) return `the file holds ${n} epochs but the engine trains ${m} with this configuration.`
  if (!partial && got.stopReason?.kind !== saved.stopReason.kind)
    return `the file says the run ended by "${saved.stopReason.kind}" but recomputed it ends by "${got.stopReason?.kind ?? 'nothing yet'}".`
  if (m !== n) return null
  const w = saved.weights.findIndex((x, i) => x !== got.weights[i])
  if (w >= 0) return `final w${w + 1} is ${saved.weights[w]} in the file but ${got.weights[w]} when recomputed.`
  const b = saved.biases.findIndex((x, i) => x !== got.biases[i])
  if (b >= 0) return `final b${b + 1} is ${saved.biases[b]} in the file but ${got.biases[b]} when recomputed.`
  return null
}

export const mismatchMessage = (run: number, learningRate: number, what: string): string => `Run ${run + 1} (η = ${learningRate}): ${what}`

/**
 * The one check of saved results (issue 14: it used to be written twice): compares every saved run
 * with its recomputed run, and gives one sentence per run that differs. The window recomputes the
 * runs in its workers and calls this once they have all reached what was saved.
 */
export function savedResultsProblems(saved: readonly RunRecord[], runs: readonly RunOutcome[]): string[] {
  const problems: string[] = []
  saved.forEach((record, i) => {
    const problem = runs[i] ? compareRun(record, runs[i]) : 'belongs to no learning rate of this experiment.'
    if (problem) problems.push(mismatchMessage(i, record.learningRate, problem))
  })
  return problems
}
