import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { stepsBehind, walkProblem, walkSteps, type WalkStep } from '@shared/walkthrough/steps'
import { stepSample, tableCell } from '@shared/walkthrough/highlight'
import { useTrainingStore } from './training'

/**
 * The walk-through of the selected epoch of the selected run (src/shared/walkthrough): whether it
 * is open and which step is current. Its own drawer (WalkThrough.vue) steps it; the network diagram
 * and the epoch table read the current step to highlight what it computes.
 */
export const useWalkStore = defineStore('walkthrough', () => {
  const training = useTrainingStore()
  const open = ref(false)
  const index = ref(0)
  /** The steps behind an "How is ∂E/∂w5 computed?" question (indexes), or null. */
  const asked = ref<number[] | null>(null)

  const run = computed(() => training.currentRun)
  const epoch = computed(() => training.selectedEpoch ?? 0)
  /**
   * How many of the rows the steps read are there: none, the walked epoch's (1), or the next one too
   * (2: an update's result). Rows arrive in batches and a row once there does not change, so the
   * steps are built again when this changes, not with every batch.
   */
  const rows = computed(() => {
    void training.version
    return run.value ? Math.max(0, Math.min(2, run.value.table.rowCount - epoch.value)) : 0
  })
  const problem = computed(() => {
    if (!run.value) return null
    if (!training.recorded)
      return `${training.recordNote ?? 'Only E_tot is recorded for this job.'} The walk-through needs every column of an epoch: train fewer epochs or learning rates to walk through one.`
    return walkProblem(run.value.config)
  })
  const steps = computed<WalkStep[]>(() => {
    const r = run.value
    if (!open.value || !r || !rows.value || problem.value) return []
    const previous = epoch.value > 0 ? r.table.row(epoch.value - 1) : null
    const next = rows.value === 2 ? r.table.row(epoch.value + 1) : null
    return walkSteps({ config: r.config, layout: r.layout, row: r.table.row(epoch.value), previous, next, epoch: epoch.value + 1 })
  })
  const current = computed(() => steps.value[index.value] ?? null)
  /** The sample the current step computes (the diagram shows that one). */
  const sample = computed(() => (current.value ? stepSample(current.value) : 0))
  /** The epoch-table cell the current step produces (row, column name), or null. */
  const cell = computed(() => {
    void training.version
    return current.value && run.value ? tableCell(current.value, epoch.value, run.value.table.rowCount) : null
  })

  watch([epoch, () => training.selectedRun], () => {
    index.value = 0
    asked.value = null
  })
  // A gradient or update step selects its parameter: the chain-rule view and the weight's history follow.
  watch(current, (s) => {
    if (s?.param) training.selectParam(s.param)
  })

  function go(i: number): void {
    index.value = Math.max(0, Math.min(steps.value.length - 1, i))
  }
  /** Opens at the first step of the selected epoch (the first epoch when none is selected, which the views then show too). */
  function start(): void {
    if (training.selectedEpoch === null && run.value?.table.rowCount) training.selectEpoch(0)
    index.value = 0
    asked.value = null
    open.value = true
  }
  function close(): void {
    open.value = false
  }
  /** "How is ∂E/∂w5 computed?": goes to that step and marks every step it rests on. */
  function ask(i: number): void {
    const s = steps.value[i]
    if (!s) return
    asked.value = stepsBehind(steps.value, s.id)
    go(i)
  }

  return { open, index, asked, run, epoch, problem, steps, current, sample, cell, go, start, close, ask }
})
