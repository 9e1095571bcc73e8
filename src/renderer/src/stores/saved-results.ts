import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import { estimateCost, fitsOpenBudget, jobOf } from '@shared/cost'
import { isPartial, savedResultsProblems, type RunRecord } from '@shared/document'
import type { Experiment } from '@shared/experiment'
import { useTrainingStore, type RunView } from './training'

/**
 * The results saved in an opened document, and whether the engine reproduces them. A file whose
 * runs retrain within the open budget (shared/cost.ts: about 2 s, 1 GB) is retrained and compared
 * at once. A larger one is shown as saved (E_tot, final parameters, how each run ended), marked
 * "not yet verified", until the user asks for the check (Verify, with progress and Cancel): a
 * 7 KB file must not start 51 GB of work on open.
 */
export const useSavedResultsStore = defineStore('savedResults', () => {
  const training = useTrainingStore()

  /** Saved results the engine does not reproduce: shown until the document changes, never hidden. */
  const message = ref<string | null>(null)
  /** True once every saved run was recomputed and matched. */
  const verified = ref(false)
  /** Saved results shown without retraining, with the estimate that kept them from it; null otherwise. */
  const unverified = shallowRef<{ saved: RunRecord[]; estimate: string } | null>(null)
  /** True while Verify retrains the saved runs. */
  const verifying = ref(false)

  let pending: { runs: readonly RunView[]; saved: RunRecord[] } | null = null
  /** The runs showing the saved results; another job in their place ends "not yet verified". */
  let shown: readonly RunView[] | null = null
  let cancelled = false
  let watching = false

  function init(): void {
    if (watching) return
    watching = true
    watch(() => training.version, check)
  }

  function clear(): void {
    pending = null
    shown = null
    message.value = null
    verified.value = false
    unverified.value = null
    verifying.value = false
  }

  /** Takes the saved results of a document that was just put in place (after the training store's reset). */
  function adopt(experiment: Experiment, saved: RunRecord[]): void {
    clear()
    init()
    if (saved.length === 0) return
    const cost = estimateCost(jobOf(experiment))
    if (fitsOpenBudget(cost)) {
      retrain(saved)
      return
    }
    training.showSaved(saved)
    shown = training.runs
    const runs = saved.length === 1 ? 'its run' : `its ${saved.length} runs`
    unverified.value = { saved, estimate: `retraining ${runs} would take about ${Math.ceil(cost.seconds)} s` }
  }

  /** Retrains the saved runs (as far as they were saved) and compares when they get there. */
  function retrain(saved: RunRecord[]): boolean {
    const before = training.runs
    // Runs saved before they ended stop at their saved epoch when they all stopped at the same one.
    const stoppedAt = saved.every(isPartial) ? new Set(saved.map((r) => r.stopReason.epochs)) : null
    if (stoppedAt && stoppedAt.size === 1) training.step([...stoppedAt][0])
    else training.train()
    if (training.runs === before) return false // refused (the training store says why)
    pending = { runs: training.runs, saved }
    check()
    return true
  }

  /** Verify: the check the open budget put off, with the training progress bar; Cancel ends it. */
  function verify(): void {
    const u = unverified.value
    if (!u || verifying.value) return
    verifying.value = true
    cancelled = false
    if (!retrain(u.saved)) verifying.value = false
  }

  function cancel(): void {
    if (!verifying.value) return
    cancelled = true
    training.stop()
  }

  /** Compares once every run has reached what was saved; a new job (Train, Reset, an edit) drops the check. */
  function check(): void {
    if (shown && training.runs !== shown && !pending) {
      // Trained or reset over the saved results: what is shown is no longer the file's.
      shown = null
      unverified.value = null
    }
    if (!pending) return
    const { runs, saved } = pending
    if (training.runs !== runs || runs.length !== saved.length) {
      pending = null
      verifying.value = false
      return
    }
    const ready = runs.every((run, i) => run.stopReason !== null || (isPartial(saved[i]) && run.epochs >= saved[i].losses.length))
    if (!ready) return
    pending = null
    if (verifying.value && cancelled) {
      // Cancelled: back to the saved results, still not verified.
      verifying.value = false
      training.showSaved(saved)
      shown = training.runs
      return
    }
    verifying.value = false
    shown = null
    unverified.value = null
    const problems = savedResultsProblems(
      saved,
      runs.map((run) => ({
        losses: run.losses,
        weights: run.weights,
        // Biases as saved: none when the network has none (the engine keeps zeros there).
        biases: run.config.network.bias === 'none' ? [] : run.biases,
        stopReason: run.stopReason,
      }))
    )
    verified.value = problems.length === 0
    message.value = problems.length
      ? `The results saved in this file differ from what the engine computes now. ${problems.join(' ')} The table and chart show the recomputed values.`
      : null
  }

  return { message, verified, unverified, verifying, init, clear, adopt, verify, cancel }
})
