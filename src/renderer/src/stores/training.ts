import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { constantColumns, layoutOf, lossOnlyLayout, type ColumnLayout } from '@shared/engine/columns'
import { EpochTable } from '@shared/engine/epoch-table'
import { columnSeries, type LossSeries } from '@shared/engine/loss-series'
import { estimateCost, jobShape, recordPlan } from '@shared/cost'
import type { RunConfig, StopReason } from '@shared/engine/types'
import type { RunRecord } from '@shared/document'
import { paceOf, type TrainingEvent } from '@shared/training/protocol'
import { useHost } from '../host'
import { useExperimentStore } from './experiment'

/**
 * One run of the current job (one learning rate). Not reactive: the big arrays grow in place and
 * `version` tells the UI when to look again.
 */
export interface RunView {
  learningRate: number
  config: RunConfig
  layout: ColumnLayout
  /** Every column of every epoch (empty when the job was too big to record in full). */
  table: EpochTable
  /** E_tot of every epoch, recorded or not (when recorded, the table's E_tot column itself). */
  losses: LossSeries
  stopReason: StopReason | null
  /** Epochs completed. */
  epochs: number
  /** Parameters after the last completed epoch. */
  weights: Float64Array
  biases: Float64Array
  epochsPerSecond: number
  paused: boolean
}

export type TrainingStatus = 'idle' | 'running' | 'paused' | 'done'
export type SelectedParam = { kind: 'w' | 'b'; index: number }

/** Time a frame may spend applying batches; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 8
/**
 * While a job runs, its numbers are redrawn at most this often (ten times a second: every redraw
 * relays out the progress, the table and the chain-rule view); pauses, steps and ends show at once.
 */
const RUNNING_REDRAW_MS = 100

/** Runs `fn` at the next animation frame (tests give their own). */
export type FrameScheduler = (fn: () => void) => void
let frameScheduler: FrameScheduler = (fn) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16)
export function setFrameScheduler(s: FrameScheduler): void {
  frameScheduler = s
}

/** The store's own storage behind a RunView: what batches are appended to. */
interface RunStore {
  table: EpochTable
  /** E_tot when the job is not recorded in full; null when it is (the table's column is used). */
  losses: EpochTable | null
}
const storage = new WeakMap<RunView, RunStore>()

function newRun(config: RunConfig, record: boolean): RunView {
  // An unrecorded run lays out only E_tot (the widest network would be 6 M names); its table never gets a row.
  const layout = record ? layoutOf(config) : lossOnlyLayout(config.network, config.samples.length)
  const table = new EpochTable(layout.names, { constants: constantColumns(layout, config.samples) })
  const losses = record ? null : new EpochTable(['E_tot'])
  const run: RunView = markRaw({
    learningRate: config.learningRate,
    config,
    layout,
    table,
    losses: losses ? columnSeries(losses, 0) : columnSeries(table, layout.lossColumn),
    stopReason: null,
    epochs: 0,
    weights: Float64Array.from(config.weights),
    biases: Float64Array.from(config.biases),
    epochsPerSecond: 0,
    paused: false,
  })
  storage.set(run, { table, losses })
  return run
}

/** The run the views show of `runs`: the selected one (the first if the selection is past the job's end), null before any. */
export function pickRun<R>(runs: readonly R[], selected: number): R | null {
  return runs[selected] ?? runs[0] ?? null
}

export const useTrainingStore = defineStore('training', () => {
  const runs = shallowRef<RunView[]>([])
  /** Bumped when runs have new data: at most once per animation frame, and every 100 ms while running. */
  const version = ref(0)
  /**
   * Bumped once per animation frame that applied new parameters, without version's 100 ms
   * throttle: the decision boundary follows it (a redraw costs well under a frame), the heavier
   * views follow version.
   */
  const liveVersion = ref(0)
  /** Epochs a second each run is held to (the speed control); 0 is full speed. */
  const pace = ref(0)
  const status = ref<TrainingStatus>('idle')
  const recorded = ref(true)
  const selectedRun = ref(0)
  /** The run the views show (pickRun). */
  const currentRun = computed<RunView | null>(() => pickRun(runs.value, selectedRun.value))
  const selectedEpoch = ref<number | null>(null)
  const selectedParam = ref<SelectedParam | null>(null)
  /** Last error a run reported, for the status line. */
  const message = ref<string | null>(null)
  /** Why the job records only E_tot (the cost estimate's sentence), or null when it records everything. */
  const recordNote = ref<string | null>(null)

  let runId = 0
  let queue: TrainingEvent[] = []
  let frameRequested = false
  let lastBump = 0
  /** Data applied that the UI has not been told about yet. */
  let bumpPending = false
  let unsubscribe: (() => void) | null = null
  let startedAt = 0

  function init(): void {
    if (unsubscribe) return
    const host = useHost()
    const offTraining = host.onTraining(receive)
    const offRefused = host.onRefused?.(({ channel, message: why }) => refused(`${channel}: ${why}`))
    unsubscribe = () => (offTraining(), offRefused?.())
  }

  /**
   * The shell refused a request of this job (or the job itself): the window says so and the job
   * ends, so it never shows "running" for work that is not happening.
   */
  function refused(why: string, job = runId): void {
    if (job !== runId) return
    message.value = why
    if (!active()) return
    // The shell may still run part of it (a refused pause): stopping it is harmless when it does not.
    useHost().stop(job)
    for (const run of runs.value) run.stopReason ??= { kind: 'error', epochs: run.epochs, message: why }
    status.value = 'done'
    version.value++
  }

  function receive(event: TrainingEvent): void {
    if (event.runId !== runId) return // a job that has been replaced
    // Applying a batch costs little whatever its size (long ones are kept, not copied).
    queue.push(event)
    if (!frameRequested) {
      frameRequested = true
      frameScheduler(applyQueued)
    }
  }

  /**
   * Applies the batches that arrived since the last frame, then bumps `version` once. A backlog
   * (the page was busy) is applied a frame's budget at a time, so catching up never blocks it.
   */
  function applyQueued(): void {
    frameRequested = false
    const started = performance.now()
    let applied = 0
    let urgent = false
    let data = false
    while (applied < queue.length && (applied === 0 || performance.now() - started < FRAME_BUDGET_MS)) {
      const change = applyEvent(queue[applied++])
      if (change !== 'none') bumpPending = true
      if (change === 'state') urgent = true
      if (change === 'data') data = true
    }
    if (data) liveVersion.value++
    queue = queue.slice(applied)
    const later = (): void => {
      if (!frameRequested) {
        frameRequested = true
        frameScheduler(applyQueued)
      }
    }
    if (queue.length) later()
    if (!bumpPending) return
    if (runs.value.length && runs.value.every((r) => r.stopReason)) status.value = 'done'
    const now = performance.now()
    if (!urgent && status.value === 'running' && now - lastBump < RUNNING_REDRAW_MS) return later()
    bumpPending = false
    lastBump = now
    version.value++
  }

  /** Applies one event; says whether it brought new numbers ('data') or changed a run's state. */
  function applyEvent(event: TrainingEvent): 'none' | 'data' | 'state' {
    if (event.runId !== runId) return 'none'
    const run = runs.value[event.run]
    const store = run && storage.get(run)
    if (!run || !store) return 'none'
    switch (event.type) {
      case 'started':
        return 'none'
      case 'batch':
        if (event.from !== run.epochs) return 'none' // out of order: never happens with one worker per run
        // A recorded run's E_tot is its table's column; the batch's own copy of it is dropped.
        if (store.losses) store.losses.adopt([event.losses], event.count)
        else if (event.columns) store.table.adopt(event.columns, event.count)
        else return 'none'
        run.epochs = event.from + event.count
        run.weights = event.weights
        run.biases = event.biases
        run.epochsPerSecond = event.epochsPerSecond
        return 'data'
      case 'paused':
        run.paused = true
        return 'state'
      case 'done':
        run.stopReason = event.stopReason
        run.paused = false
        return 'state'
      case 'error':
        run.stopReason = { kind: 'error', epochs: run.epochs, message: event.message }
        message.value = event.message
        return 'state'
    }
  }

  function start(paused: boolean): boolean {
    const experiment = useExperimentStore()
    if (experiment.trainBlockedReason) return false
    init()
    const configs = experiment.configs
    const first = configs[0]
    // The cost before the work: E_tot only beyond the memory budget, refused when even that cannot fit.
    const plan = recordPlan(estimateCost(jobShape(first, configs.length)))
    if (!plan.ok) {
      message.value = `Not started: ${plan.error}.`
      return false
    }
    recorded.value = plan.record
    recordNote.value = plan.note
    const job = configs.map((c) => newRun(c, recorded.value))
    const id = ++runId
    queue = []
    runs.value = job
    selectedRun.value = Math.min(selectedRun.value, job.length - 1)
    selectedEpoch.value = null
    message.value = null
    status.value = paused ? 'paused' : 'running'
    startedAt = performance.now()
    bumpPending = false
    lastBump = startedAt
    version.value++
    useHost()
      .train(id, configs, { record: recorded.value, paused, pace: pace.value })
      .catch((e: unknown) => refused(e instanceof Error ? e.message : String(e), id))
    return true
  }

  const active = (): boolean => status.value === 'running' || status.value === 'paused'

  /**
   * Shows saved runs as they were saved — E_tot of every epoch, final parameters, how each ended —
   * without training them (a file beyond the open budget; see saved-results.ts).
   */
  function showSaved(saved: readonly RunRecord[]): void {
    const configs = useExperimentStore().configs
    if (configs.length !== saved.length) return
    if (active()) useHost().stop(runId)
    runId++
    queue = []
    recorded.value = false
    recordNote.value = 'These are the saved results, not yet verified: the table shows the saved E_tot.'
    runs.value = configs.map((config, i) => {
      const run = newRun(config, false)
      const record = saved[i]
      storage.get(run)!.losses!.adopt([record.losses], record.losses.length)
      run.epochs = record.losses.length
      run.weights = Float64Array.from(record.weights)
      if (record.biases.length === run.biases.length) run.biases = Float64Array.from(record.biases)
      run.stopReason = { ...record.stopReason }
      return run
    })
    selectedRun.value = Math.min(selectedRun.value, saved.length - 1)
    selectedEpoch.value = null
    message.value = null
    status.value = 'done'
    version.value++
  }

  function train(): boolean {
    return start(false)
  }

  function pause(): void {
    if (status.value !== 'running') return
    status.value = 'paused'
    useHost().pause(runId)
  }

  function resume(): void {
    if (status.value !== 'paused') return
    status.value = 'running'
    for (const r of runs.value) r.paused = false
    useHost().resume(runId)
  }

  function togglePause(): void {
    if (status.value === 'running') pause()
    else if (status.value === 'paused') resume()
    else train()
  }

  /** Runs `epochs` more epochs and pauses; starts a paused job first when none is going. */
  function step(epochs = 1): void {
    if (!active() && !start(true)) return
    status.value = 'paused'
    useHost().step(runId, epochs)
  }

  /** Sets the speed control; a job under way takes it at once. */
  function setPace(epochsPerSecond: number): void {
    pace.value = paceOf(epochsPerSecond)
    if (active()) useHost().pace(runId, pace.value)
  }

  function stop(): void {
    if (!active()) return
    useHost().stop(runId)
  }

  function reset(): void {
    if (active()) useHost().stop(runId)
    runId++
    queue = []
    runs.value = []
    status.value = 'idle'
    selectedEpoch.value = null
    message.value = null
    version.value++
  }

  function selectEpoch(epoch: number | null): void {
    selectedEpoch.value = epoch
  }

  function selectParam(param: SelectedParam | null): void {
    selectedParam.value = param
  }

  /** Overall progress of the job, for the progress bar. */
  const progress = computed(() => {
    void version.value
    let done = 0
    let total = 0
    let rate = 0
    for (const r of runs.value) {
      // A run stopped by the user still counts toward what it was asked for: the bar shows it was cut short.
      const target = r.stopReason && r.stopReason.kind !== 'stopped' ? r.epochs : r.config.epochs
      done += r.epochs
      total += target
      if (!r.stopReason) rate += r.epochsPerSecond
    }
    const left = total - done
    return {
      epochs: done,
      total,
      fraction: total ? done / total : 0,
      epochsPerSecond: rate,
      secondsLeft: status.value === 'running' && rate > 0 ? left / rate : null,
      elapsed: startedAt ? (performance.now() - startedAt) / 1000 : 0,
    }
  })

  return {
    runs,
    version,
    liveVersion,
    pace,
    status,
    recorded,
    recordNote,
    selectedRun,
    currentRun,
    selectedEpoch,
    selectedParam,
    message,
    progress,
    init,
    train,
    pause,
    resume,
    togglePause,
    step,
    stop,
    setPace,
    reset,
    showSaved,
    selectEpoch,
    selectParam,
  }
})
