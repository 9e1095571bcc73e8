import { computed, onBeforeUnmount, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import { pickRun, useTrainingStore, type RunView } from '../stores/training'

/**
 * The training store's runs and version as one view shows them. A new job and its first rows reach
 * each view in a task of its own (a timer), so the click on Train and the frame that first shows
 * data do not also rebuild the table, the diagram and the chain-rule view:
 *
 * - a new job, or a job's first rows: one task later;
 * - more numbers while a job runs: at most every `runningIntervalMs` (0: at once; a function is
 *   asked each time, so a view can follow a slow pace epoch by epoch);
 * - otherwise (paused, stepped, stopped, done, reset): at once.
 *
 * `current` is the run of these the view shows (pickRun: the selected one).
 */
export function useShownRuns(runningIntervalMs: number | (() => number)): {
  runs: ShallowRef<RunView[]>
  version: Ref<number>
  current: ComputedRef<RunView | null>
} {
  const training = useTrainingStore()
  const runs = shallowRef(training.runs)
  const version = ref(training.version)
  let timer: ReturnType<typeof setTimeout> | null = null
  /** Whether the pending timer is a new job's (one task), not a running job's (up to the interval). */
  let timerForJob = false
  let shownAt = 0
  const anyRows = (list: readonly RunView[]): boolean => list.some((r) => r.table.rowCount > 0 || r.losses.length > 0)
  /** Whether the runs shown had any rows (a run's table fills in place, so this is remembered). */
  let shownAnyRows = anyRows(runs.value)

  function catchUp(): void {
    if (timer) clearTimeout(timer)
    timer = null
    timerForJob = false
    shownAt = performance.now()
    runs.value = training.runs
    version.value = training.version
    shownAnyRows = anyRows(training.runs)
  }

  const interval = typeof runningIntervalMs === 'function' ? runningIntervalMs : () => runningIntervalMs
  watch([() => training.runs, () => training.version, () => training.status], () => {
    const runningIntervalMs = interval()
    const newJob = training.runs !== runs.value && training.runs.length > 0
    const firstRows = !shownAnyRows && training.runs.length > 0
    if (!newJob && !firstRows && (training.status !== 'running' || runningIntervalMs === 0)) return catchUp()
    if (timer && (timerForJob || !newJob)) return // the pending catch-up takes the newest
    if (timer) clearTimeout(timer)
    timerForJob = newJob
    timer = setTimeout(catchUp, newJob ? 0 : Math.max(0, shownAt + runningIntervalMs - performance.now()))
  })
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
  })
  const current = computed(() => pickRun(runs.value, training.selectedRun))
  return { runs, version, current }
}
