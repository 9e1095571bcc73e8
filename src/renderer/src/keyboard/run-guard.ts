import { shallowRef } from 'vue'
import { useTrainingStore } from '../stores/training'

/**
 * Run shortcuts (Space, →, the Run menu's keys) start a new job, which replaces the runs shown. A
 * finished run is never thrown away by a key alone: the action waits here until the person
 * confirms it (RunControls shows the question).
 */
export interface PendingRun {
  /** The question asked, e.g. "Train again? This replaces the finished runs." */
  question: string
  go: () => void
}
export const pendingRun = shallowRef<PendingRun | null>(null)

/** Runs `go` now, or, when it would replace finished runs, once confirmed. */
export function guardedRun(question: string, go: () => void): void {
  const training = useTrainingStore()
  if (training.status === 'done' && training.runs.length) pendingRun.value = { question, go }
  else go()
}

export function answerPendingRun(replace: boolean): void {
  const pending = pendingRun.value
  pendingRun.value = null
  if (replace) pending?.go()
}
