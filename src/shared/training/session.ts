import { Trainer } from '../engine/trainer'
import { paceOf, transferables, BATCHES_PER_SECOND, type TrainingCommand, type TrainingEvent } from './protocol'

/** How long one slice of training runs before the worker looks at its messages again. */
const SLICE_MS = 8
const BATCH_INTERVAL_MS = 1000 / BATCHES_PER_SECOND

/**
 * How long a worker rests after each slice, when `together` runs train at once on a machine with
 * `cores` logical cores (unknown: 2). The page keeps 4/3 of a core for itself, the compositor, the
 * GPU process and the garbage collector; the runs share the rest, and at least 2/3 of a core.
 * Measured on 2 cores (bench:ui): one run training flat out made the page's tasks take two to three
 * times their own CPU time, and 1 run in 4 had a task over 50 ms; resting half a slice (2/3 of a
 * core) left none in 16 runs, for 1,000,000 epochs in about 0.95 s instead of 0.75 s.
 */
export function restAfterSlice(cores: number | undefined, together = 1): number {
  const shared = Math.max(2 / 3, (cores || 2) - 4 / 3)
  const duty = Math.min(1, shared / Math.max(1, together))
  return Math.round(SLICE_MS * (1 / duty - 1))
}

export type Post = (event: TrainingEvent, transfer: ArrayBuffer[]) => void
/** Runs `fn` soon, after pending messages: setImmediate in Node, a MessageChannel tick in a browser. */
export type Schedule = (fn: () => void) => void
/** Milliseconds on a monotonic clock; tests inject a simulated one. */
export type Clock = () => number

/**
 * The inside of a training worker, free of any worker API so that the Node worker thread and the
 * browser's Web Worker share it (each wraps it in a few lines). Training runs in time slices so a
 * pause, step or stop command is handled within one slice; a rest follows each (restAfterSlice).
 */
export function createTrainingSession(
  post: Post,
  schedule: Schedule,
  cores?: number,
  now: Clock = () => performance.now()
): (command: TrainingCommand) => void {
  let trainer: Trainer | null = null
  let runId = -1
  let run = 0
  let paused = false
  /** Epochs still to run while paused (Step). */
  let stepBudget = 0
  let sent = 0
  let lastSentAt = 0
  let epochsPerMs = 1
  let restMs = 0
  let scheduled = false
  /** The pending setTimeout of a rest or a paced wait, so a faster pace can cut it short. */
  let timer: ReturnType<typeof setTimeout> | null = null
  let rateFrom = { epoch: 0, at: 0 }
  /** Epochs a second (0: full speed), and the epoch and time it counts from. */
  let pace = 0
  let paceFrom = { epoch: 0, at: 0 }

  /** Counts the pace from now: after a start, a change of pace or a resume (a step ignores the pace). */
  const restartPace = (): void => {
    paceFrom = { epoch: trainer?.epoch ?? 0, at: now() }
  }
  /** Epochs the pace allows now: the first at once, then one every 1/pace s. */
  const paceAllows = (): number =>
    paceFrom.epoch + 1 + Math.floor(((now() - paceFrom.at) * pace) / 1000) - trainer!.epoch
  /** Milliseconds until the pace allows the next epoch. */
  const untilNextEpoch = (): number => Math.max(1, Math.ceil(paceFrom.at + ((trainer!.epoch - paceFrom.epoch) * 1000) / pace - now()))

  const send = (event: TrainingEvent): void => post(event, transferables(event))

  function flush(): void {
    if (!trainer) return
    const to = trainer.epoch
    const at = now()
    const seconds = (at - rateFrom.at) / 1000
    const epochsPerSecond = seconds > 0 ? (to - rateFrom.epoch) / seconds : 0
    rateFrom = { epoch: to, at }
    lastSentAt = at
    if (to === sent) return
    send({
      type: 'batch',
      runId,
      run,
      from: sent,
      count: to - sent,
      columns: trainer.table ? trainer.table.slice(sent, to) : null,
      losses: trainer.losses.toArray(sent, to),
      weights: trainer.weights.slice(),
      biases: trainer.biases.slice(),
      epochsPerSecond,
    })
    sent = to
    // Sent rows live in the receiver's table now; keeping them here too would double the memory.
    trainer.table?.releaseBefore(sent)
  }

  function finish(): void {
    flush()
    send({ type: 'done', runId, run, stopReason: trainer!.stopReason! })
    trainer = null
  }

  function tick(): void {
    scheduled = false
    timer = null
    if (!trainer) return
    if (paused && stepBudget === 0) return
    const paced = !paused && pace > 0
    if (paced && paceAllows() <= 0) return wake(untilNextEpoch())
    const started = now()
    try {
      const full = Math.max(1, Math.floor(epochsPerMs * SLICE_MS))
      const budget = paused ? Math.min(full, stepBudget) : paced ? Math.min(full, paceAllows()) : full
      const ran = trainer.step(budget)
      if (paused) stepBudget -= ran
      const took = now() - started
      // Adapt the slice to the network's speed so a slice stays near SLICE_MS (a slice cut short
      // by a step or the pace says nothing about the speed).
      if (ran > 0 && budget === full) epochsPerMs = Math.max(0.01, ran / Math.max(took, 0.05))
    } catch (e) {
      send({ type: 'error', runId, run, message: e instanceof Error ? e.message : String(e) })
      trainer = null
      return
    }
    if (trainer.done) return finish()
    if (paused && stepBudget === 0) {
      flush()
      send({ type: 'paused', runId, run, epochs: trainer.epoch })
      return
    }
    // Watchable paces send every epoch, so the diagram and the boundary move epoch by epoch.
    if ((paced && pace <= BATCHES_PER_SECOND) || now() - lastSentAt >= BATCH_INTERVAL_MS) flush()
    wake(paced && paceAllows() <= 0 ? Math.max(restMs, untilNextEpoch()) : restMs)
  }

  /** Runs the next slice soon, or after `delay` ms; commands that arrive meanwhile are handled first. */
  function wake(delay = 0): void {
    if (!scheduled) {
      scheduled = true
      if (delay > 0) timer = setTimeout(tick, delay)
      else schedule(tick)
    }
  }

  /** Drops a pending rest or paced wait (the pace changed) and runs the next slice soon. */
  function wakeNow(): void {
    if (timer !== null) {
      clearTimeout(timer)
      timer = null
      scheduled = false
    }
    wake()
  }

  return (command) => {
    if (command.type === 'start') {
      try {
        trainer = new Trainer(command.config, { record: command.record })
      } catch (e) {
        send({ type: 'error', runId: command.runId, run: command.run, message: e instanceof Error ? e.message : String(e) })
        trainer = null
        return
      }
      runId = command.runId
      run = command.run
      restMs = restAfterSlice(cores, command.together)
      paused = command.paused ?? false
      pace = paceOf(command.pace)
      restartPace()
      stepBudget = 0
      sent = 0
      lastSentAt = now()
      rateFrom = { epoch: 0, at: lastSentAt }
      send({ type: 'started', runId, run, columns: trainer.layout ? [...trainer.layout.names] : [] })
      if (paused) send({ type: 'paused', runId, run, epochs: 0 })
      else wake()
      return
    }
    if (!trainer || command.runId !== runId) return
    switch (command.type) {
      case 'pause':
        if (paused) return
        paused = true
        stepBudget = 0
        flush()
        send({ type: 'paused', runId, run, epochs: trainer.epoch })
        return
      case 'resume':
        paused = false
        restartPace()
        wake()
        return
      case 'pace':
        pace = paceOf(command.epochsPerSecond)
        restartPace()
        if (!paused) wakeNow()
        return
      case 'step':
        paused = true
        stepBudget += Math.max(1, Math.floor(command.epochs))
        wakeNow()
        return
      case 'stop':
        trainer.stop()
        finish()
        return
    }
  }
}
