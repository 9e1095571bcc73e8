import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { columnLayout, constantColumns, type ColumnLayout } from '@shared/engine/columns'
import { columnPlaces } from '@shared/engine/epoch-table'
import { estimateCost, recordPlan } from '@shared/cost'
import type { RunConfig, StopReason } from '@shared/engine/types'
import type { RunRecord } from '@shared/document'
import type { TrainingEvent } from '@shared/training/protocol'
import { useHost } from '../host'
import { useExperimentStore } from './experiment'

/** Every column of every epoch, as the UI reads it (the engine's EpochTable is one too). */
export interface TableView {
  readonly names: readonly string[]
  readonly rowCount: number
  get(row: number, col: number): number
  row(row: number): Float64Array
}

/** E_tot by epoch, as the UI reads it (the engine's Series is one too). */
export interface LossView {
  readonly length: number
  get(i: number): number
  toArray(from?: number, to?: number): Float64Array
  /** Optional: the values at [from, to) a stretch at a time, without copying (see ChunkedColumns.segments). */
  segments?(from: number, to: number, visit: (data: Float64Array, offset: number, index: number, count: number) => void): void
}

/** Batches shorter than this are copied into a growing tail chunk; longer ones are kept as they came. */
const ADOPT_MIN_ROWS = 512
/** A tail chunk holds at most this many bytes (as the engine's chunks). */
const TAIL_BYTES = 4 * 1024 * 1024

/**
 * Rows [start, start + rows) of every column in one array: column c's row start + i is at
 * data[c · stride + i] (a worker batch's layout, EpochTable.slice, with stride = its row count).
 */
interface Chunk {
  start: number
  rows: number
  stride: number
  data: Float64Array
}

/** The one array behind columns laid out as a worker packs a batch (column after column), or null. */
function packed(columns: readonly Float64Array[], count: number): Float64Array | null {
  const first = columns[0]
  if (!first) return null
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]
    if (col.buffer !== first.buffer || col.byteOffset !== first.byteOffset + c * count * 8 || col.length < count) return null
  }
  return new Float64Array(first.buffer, first.byteOffset, columns.length * count)
}

/**
 * Columns of numbers held as the worker's batches brought them: a long batch's array (transferred,
 * not copied, from the worker: its columns packed one after the other) becomes a chunk of the table
 * as it is, so appending costs nothing and leaves no garbage; short batches (steps, slow or wide
 * networks) are copied into a tail chunk that grows by doubling. One array per chunk whatever the
 * number of columns, so a million recorded rows cost their 8 bytes per number and little more.
 */
export class ChunkedColumns implements TableView {
  readonly names: readonly string[]
  /** Columns kept in the chunks; the others are constants (as in the engine's EpochTable). */
  private readonly stored: Int32Array
  private readonly place: Int32Array
  private readonly chunks: Chunk[] = []
  private rows = 0
  /** The open tail chunk (room beyond its rows, up to its stride), or null. */
  private tail: Chunk | null = null
  private readonly tailMax: number
  /** Index of the chunk the last read found: reads go mostly in order. */
  private hint = 0

  constructor(
    names: readonly string[],
    private readonly constants: ReadonlyMap<number, number> = new Map()
  ) {
    this.names = names
    const places = columnPlaces(names.length, constants)
    this.stored = places.stored
    this.place = places.place
    this.tailMax = Math.max(16, Math.floor(TAIL_BYTES / (8 * Math.max(1, this.stored.length))))
  }

  get rowCount(): number {
    return this.rows
  }

  /**
   * Appends `count` rows given column by column, the stored columns only (a worker batch); a long
   * packed batch is kept (not copied): do not reuse it.
   */
  append(columns: readonly Float64Array[], count: number): void {
    const cols = this.stored.length
    if (columns.length !== cols) throw new Error(`batch has ${columns.length} columns, table stores ${cols}`)
    if (count <= 0) return
    if (count >= ADOPT_MIN_ROWS) {
      this.sealTail()
      let data = packed(columns, count)
      if (!data) {
        data = new Float64Array(cols * count)
        for (let c = 0; c < cols; c++) data.set(columns[c].subarray(0, count), c * count)
      }
      this.chunks.push({ start: this.rows, rows: count, stride: count, data })
      this.rows += count
      return
    }
    let done = 0
    while (done < count) {
      let tail = this.tail
      if (!tail || tail.rows === this.tailMax) tail = this.openTail(count - done)
      else if (tail.rows === tail.stride) tail = this.growTail(tail)
      const n = Math.min(tail.stride - tail.rows, count - done)
      for (let c = 0; c < cols; c++) tail.data.set(columns[c].subarray(done, done + n), c * tail.stride + tail.rows)
      tail.rows += n
      this.rows += n
      done += n
    }
  }

  private openTail(want: number): Chunk {
    this.sealTail()
    const stride = Math.min(this.tailMax, Math.max(64, want))
    const tail = { start: this.rows, rows: 0, stride, data: new Float64Array(stride * this.stored.length) }
    this.chunks.push(tail)
    this.tail = tail
    return tail
  }

  /** Doubles the tail's room (up to tailMax rows). */
  private growTail(tail: Chunk): Chunk {
    this.restride(tail, Math.min(this.tailMax, tail.stride * 2))
    return tail
  }

  /** Moves the tail's rows into a new array with room for `stride` rows a column. */
  private restride(tail: Chunk, stride: number): void {
    const data = new Float64Array(stride * this.stored.length)
    for (let c = 0; c < this.stored.length; c++) data.set(tail.data.subarray(c * tail.stride, c * tail.stride + tail.rows), c * stride)
    tail.data = data
    tail.stride = stride
  }

  /** Closes the tail chunk, trimmed to its rows (so no spare room stays allocated behind it). */
  private sealTail(): void {
    const tail = this.tail
    if (!tail) return
    this.tail = null
    if (tail.rows === 0) {
      this.chunks.pop()
      return
    }
    if (tail.rows !== tail.stride) this.restride(tail, tail.rows)
  }

  /** Index of the chunk holding `row` (0 ≤ row < rowCount). */
  private chunkOf(row: number): number {
    const chunks = this.chunks
    let k = this.hint
    if (k < chunks.length && chunks[k].start <= row && row < chunks[k].start + chunks[k].rows) return k
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (chunks[mid].start <= row) lo = mid
      else hi = mid - 1
    }
    k = lo
    this.hint = k
    return k
  }

  get(row: number, col: number): number {
    if (!(row >= 0 && row < this.rows) || !(col >= 0 && col < this.names.length)) return NaN
    const p = this.place[col]
    if (p < 0) return this.constants.get(col)!
    const chunk = this.chunks[this.chunkOf(row)]
    return chunk.data[p * chunk.stride + row - chunk.start]
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.names.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /**
   * Rows [from, to) of one column a chunk at a time, without copying: `visit(data, offset, row,
   * count)` says that `data[offset + j]` holds row `row + j`, for j < count.
   */
  segments(col: number, from: number, to: number, visit: (data: Float64Array, offset: number, row: number, count: number) => void): void {
    from = Math.max(0, from)
    to = Math.min(this.rows, to)
    const p = this.place[col]
    if (p < 0) {
      if (to > from) visit(new Float64Array(to - from).fill(this.constants.get(col)!), 0, from, to - from)
      return
    }
    for (let r = from; r < to;) {
      const chunk = this.chunks[this.chunkOf(r)]
      const n = Math.min(to - r, chunk.start + chunk.rows - r)
      visit(chunk.data, p * chunk.stride + r - chunk.start, r, n)
      r += n
    }
  }

  /** Rows [from, to) of one column as a fresh array. */
  column(col: number, from = 0, to = this.rows): Float64Array {
    from = Math.max(0, from)
    to = Math.min(this.rows, to)
    const out = new Float64Array(Math.max(0, to - from))
    this.segments(col, from, to, (data, offset, row, count) => out.set(data.subarray(offset, offset + count), row - from))
    return out
  }
}

/** One column of a ChunkedColumns as a series: a run's E_tot, read where the table keeps it. */
export function columnSeries(table: ChunkedColumns, col: number): LossView {
  return {
    get length() {
      return table.rowCount
    },
    get: (i) => table.get(i, col),
    toArray: (from, to) => table.column(col, from, to),
    segments: (from, to, visit) => table.segments(col, from, to, visit),
  }
}

/**
 * One run of the current job (one learning rate). Not reactive: the big arrays grow in place and
 * `version` tells the UI when to look again.
 */
export interface RunView {
  learningRate: number
  config: RunConfig
  layout: ColumnLayout
  /** Every column of every epoch (empty when the job was too big to record in full). */
  table: TableView
  /** E_tot of every epoch, recorded or not (when recorded, the table's E_tot column itself). */
  losses: LossView
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
  table: ChunkedColumns
  /** E_tot when the job is not recorded in full; null when it is (the table's column is used). */
  losses: ChunkedColumns | null
}
const storage = new WeakMap<RunView, RunStore>()

function newRun(config: RunConfig, record: boolean): RunView {
  const layout = columnLayout(config.network, config.samples.length)
  // An unrecorded run's table keeps its column names but never gets a row.
  const table = new ChunkedColumns(layout.names, constantColumns(layout, config.samples))
  const losses = record ? null : new ChunkedColumns(['E_tot'])
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

export const useTrainingStore = defineStore('training', () => {
  const runs = shallowRef<RunView[]>([])
  /** Bumped when runs have new data: at most once per animation frame, and every 100 ms while running. */
  const version = ref(0)
  const status = ref<TrainingStatus>('idle')
  const recorded = ref(true)
  const selectedRun = ref(0)
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
    while (applied < queue.length && (applied === 0 || performance.now() - started < FRAME_BUDGET_MS)) {
      const change = applyEvent(queue[applied++])
      if (change !== 'none') bumpPending = true
      if (change === 'state') urgent = true
    }
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
        if (store.losses) store.losses.append([event.losses], event.count)
        else if (event.columns) store.table.append(event.columns, event.count)
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
    const plan = recordPlan(estimateCost({ network: first.network, samples: first.samples.length, epochs: first.epochs, runs: configs.length }))
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
      .train(id, configs, { record: recorded.value, paused })
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
      storage.get(run)!.losses!.append([record.losses], record.losses.length)
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
    status,
    recorded,
    recordNote,
    selectedRun,
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
    reset,
    showSaved,
    selectEpoch,
    selectParam,
  }
})
