import type { RunConfig } from '../engine/types'
import { paceOf, type TrainingCommand, type TrainingEvent } from './protocol'

/** One training worker, whatever it is: a Node worker thread, a Web Worker, or in-process. */
export interface WorkerLike {
  post(command: TrainingCommand, transfer?: ArrayBuffer[]): void
  terminate(): void
}

/** Makes a worker; `onFailure` reports that the worker itself died (it is then replaced). */
export type WorkerFactory = (onEvent: (e: TrainingEvent) => void, onFailure: (message: string) => void) => WorkerLike

export interface StartOptions {
  record: boolean
  paused?: boolean
  /** Epochs a second each run is held to; 0 or absent: full speed (see paceOf). */
  pace?: number
}

/**
 * How long a worker may take to answer stop. One epoch of a large net can take longer while the
 * engine's code is still cold, and a worker cannot look at its messages mid-epoch; past this the
 * worker is terminated, which interrupts it at once, and replaced.
 */
export const STOP_GRACE_MS = 40

interface Slot {
  worker: WorkerLike
  /** The run this worker trains for the current job, or null when idle. */
  run: number | null
  /** Epochs of that run received so far. */
  epochs: number
  stopTimer: ReturnType<typeof setTimeout> | null
  dead: boolean
}

interface Job {
  runId: number
  configs: RunConfig[]
  record: boolean
  paused: boolean
  pace: number
  /** Run indices waiting for a worker. */
  queue: number[]
}

/**
 * Runs the runs of one job (one learning rate each) on up to `size` workers, created lazily and
 * reused. Knows nothing of any worker API, so the Electron main process and the browser edition
 * share it. Starting a new job replaces the old one; events of any other job are dropped.
 */
export class TrainingPool {
  private readonly slots: Slot[] = []
  private readonly listeners = new Set<(e: TrainingEvent) => void>()
  private job: Job | null = null
  private disposed = false

  constructor(
    private readonly factory: WorkerFactory,
    private readonly size: number
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`)
  }

  start(runId: number, configs: RunConfig[], options: StartOptions): void {
    if (this.disposed) throw new Error('training pool is disposed')
    const old = this.job
    if (old) {
      // The old job's workers are free at once: a new 'start' replaces whatever they train, and
      // anything they still send carries the old runId and is dropped.
      for (const slot of this.slots) {
        if (slot.run !== null) slot.worker.post({ type: 'stop', runId: old.runId })
        this.clearStopTimer(slot)
        slot.run = null
      }
    }
    this.job = { runId, configs, record: options.record, paused: options.paused ?? false, pace: paceOf(options.pace), queue: configs.map((_, i) => i) }
    this.dispatch()
  }

  pause(runId: number): void {
    const job = this.current(runId)
    if (!job) return
    job.paused = true
    this.broadcast({ type: 'pause', runId })
  }

  resume(runId: number): void {
    const job = this.current(runId)
    if (!job) return
    job.paused = false
    this.broadcast({ type: 'resume', runId })
  }

  step(runId: number, epochs: number): void {
    const job = this.current(runId)
    if (!job) return
    job.paused = true
    this.broadcast({ type: 'step', runId, epochs })
  }

  /** Holds the job's runs, running and queued, to `epochsPerSecond` (0: full speed). */
  pace(runId: number, epochsPerSecond: number): void {
    const job = this.current(runId)
    if (!job) return
    job.pace = paceOf(epochsPerSecond)
    this.broadcast({ type: 'pace', runId, epochsPerSecond: job.pace })
  }

  /** Stops the running runs (each answers `done`) and ends the queued ones with 'stopped'. */
  stop(runId: number): void {
    const job = this.current(runId)
    if (!job) return
    for (const slot of this.slots) {
      if (slot.run === null) continue
      slot.worker.post({ type: 'stop', runId })
      slot.stopTimer ??= setTimeout(() => this.forceStop(slot, runId), STOP_GRACE_MS)
    }
    const queued = job.queue.splice(0)
    for (const run of queued) {
      this.emit({ type: 'done', runId, run, stopReason: { kind: 'stopped', epochs: 0, message: 'Stopped before it started.' } })
    }
  }

  /** Stops the job running now, whatever its runId (Run › Stop from the menu, which main handles itself). */
  stopCurrent(): void {
    if (this.job) this.stop(this.job.runId)
  }

  onEvent(listener: (e: TrainingEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Workers alive now (for tests and diagnostics). */
  get workerCount(): number {
    return this.slots.length
  }

  /**
   * Ends every run at once, silently, and terminates every worker (the window that asked for the
   * runs is gone). The pool stays usable: the next start makes new workers.
   */
  reset(): void {
    this.job = null
    for (const slot of [...this.slots]) this.remove(slot)
  }

  /** Like reset, for good: the pool cannot start again and forgets its listeners. */
  dispose(): void {
    this.disposed = true
    this.reset()
    this.listeners.clear()
  }

  private current(runId: number): Job | null {
    return this.job && this.job.runId === runId ? this.job : null
  }

  private broadcast(command: TrainingCommand): void {
    for (const slot of this.slots) if (slot.run !== null) slot.worker.post(command)
  }

  private emit(event: TrainingEvent): void {
    for (const listener of [...this.listeners]) listener(event)
  }

  /** Gives queued runs to idle workers, creating workers up to the pool size. */
  private dispatch(): void {
    const job = this.job
    if (!job || this.disposed) return
    while (job.queue.length > 0) {
      let slot: Slot | null = this.slots.find((s) => s.run === null) ?? null
      if (!slot) {
        if (this.slots.length >= this.size) return
        slot = this.spawn()
        if (!slot) {
          const run = job.queue.shift()!
          this.emit({ type: 'error', runId: job.runId, run, message: 'Could not start a training worker.' })
          continue
        }
      }
      const run = job.queue.shift()!
      slot.run = run
      slot.epochs = 0
      const together = Math.min(job.configs.length, this.size)
      slot.worker.post({ type: 'start', runId: job.runId, run, config: job.configs[run], record: job.record, paused: job.paused, together, pace: job.pace })
    }
  }

  private spawn(): Slot | null {
    const slot: Slot = { worker: null as unknown as WorkerLike, run: null, epochs: 0, stopTimer: null, dead: false }
    try {
      slot.worker = this.factory(
        (e) => this.received(slot, e),
        (message) => this.failed(slot, message)
      )
    } catch {
      return null
    }
    this.slots.push(slot)
    return slot
  }

  private received(slot: Slot, event: TrainingEvent): void {
    const job = this.job
    if (slot.dead || !job || event.runId !== job.runId || slot.run !== event.run) return
    if (event.type === 'batch') slot.epochs = event.from + event.count
    if (event.type === 'done' || event.type === 'error') {
      this.clearStopTimer(slot)
      slot.run = null
      this.emit(event)
      this.dispatch()
      return
    }
    this.emit(event)
  }

  /** The worker did not answer stop in time: end the run with what arrived and replace the worker. */
  private forceStop(slot: Slot, runId: number): void {
    slot.stopTimer = null
    if (slot.dead || slot.run === null || this.job?.runId !== runId) return
    const { run, epochs } = slot
    this.remove(slot)
    this.emit({ type: 'done', runId, run, stopReason: { kind: 'stopped', epochs, message: `Stopped by the user after ${epochs} epochs.` } })
    this.dispatch()
  }

  private clearStopTimer(slot: Slot): void {
    if (slot.stopTimer !== null) clearTimeout(slot.stopTimer)
    slot.stopTimer = null
  }

  private remove(slot: Slot): void {
    slot.dead = true
    this.clearStopTimer(slot)
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    slot.worker.terminate()
  }

  private failed(slot: Slot, message: string): void {
    if (slot.dead) return
    this.remove(slot)
    const job = this.job
    if (job && slot.run !== null) {
      const run = slot.run
      slot.run = null
      this.emit({ type: 'error', runId: job.runId, run, message: `Training worker failed: ${message}` })
    }
    this.dispatch()
  }
}
