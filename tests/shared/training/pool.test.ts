import { afterEach, describe, expect, it, vi } from 'vitest'
import { train } from '../../../src/shared/engine'
import type { RunConfig } from '../../../src/shared/engine/types'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { STOP_GRACE_MS, TrainingPool, type WorkerFactory, type WorkerLike } from '../../../src/shared/training/pool'
import type { TrainingCommand, TrainingEvent } from '../../../src/shared/training/protocol'
import { createTrainingSession } from '../../../src/shared/training/session'

/**
 * The pool's own logic, with each worker being the real training session run in-process (the
 * same code a worker thread runs; tests/main/training covers real threads).
 */
interface Spawned {
  posted: TrainingCommand[]
  terminated: boolean
  fail(message: string): void
}

function inProcessFactory(spawned: Spawned[], options: { throwOnRun?: number } = {}): WorkerFactory {
  return (onEvent, onFailure) => {
    let alive = true
    const session = createTrainingSession(
      (e) => queueMicrotask(() => alive && onEvent(e)),
      (fn) => setImmediate(() => alive && fn())
    )
    const record: Spawned = { posted: [], terminated: false, fail: (m) => onFailure(m) }
    spawned.push(record)
    const worker: WorkerLike = {
      post(command) {
        record.posted.push(command)
        if (command.type === 'start' && command.run === options.throwOnRun) {
          setImmediate(() => alive && onFailure('boom'))
          return
        }
        setImmediate(() => alive && session(command))
      },
      terminate() {
        alive = false
        record.terminated = true
      },
    }
    return worker
  }
}

function configs(rates: number[], epochs = 70): RunConfig[] {
  const exp = defaultExperiment()
  exp.training.learningRates = rates
  exp.training.epochs = epochs
  return runConfigs(exp)
}

/** Collects events until every run of `runId` has ended. */
function untilDone(pool: TrainingPool, runId: number, runs: number): Promise<TrainingEvent[]> {
  return new Promise((resolve) => {
    const events: TrainingEvent[] = []
    const ended = new Set<number>()
    const off = pool.onEvent((e) => {
      events.push(e)
      if (e.runId === runId && (e.type === 'done' || e.type === 'error')) ended.add(e.run)
      if (ended.size === runs) {
        off()
        resolve(events)
      }
    })
  })
}

function lossesOf(events: TrainingEvent[], run: number): number[] {
  const out: number[] = []
  // Not push(...losses): a batch holds ~33 ms of epochs, over 100,000 at full speed, and spreading
  // that many arguments overflows the call stack (this test failed so on a fast moment).
  for (const e of events) if (e.type === 'batch' && e.run === run) for (const loss of e.losses) out.push(loss)
  return out
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Waits until `condition` holds (the machine may be busy; no fixed sleeps for correctness). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time')
    await tick(2)
  }
}

describe('TrainingPool', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs every run of a job on at most `size` workers, each equal to the engine', async () => {
    const spawned: Spawned[] = []
    const pool = new TrainingPool(inProcessFactory(spawned), 2)
    const cs = configs([0.1, 0.25, 0.5, 1, 2, 4])
    const done = untilDone(pool, 1, 6)
    pool.start(1, cs, { record: false })
    const events = await done
    expect(spawned).toHaveLength(2)
    cs.forEach((c, run) => {
      expect(lossesOf(events, run)).toEqual(Array.from(train(c).losses))
      const end = events.find((e) => e.type === 'done' && e.run === run)
      expect(end).toMatchObject({ stopReason: { kind: 'epochs', epochs: 70 } })
    })
    // Reused, not re-created, for the next job.
    const again = untilDone(pool, 2, 1)
    pool.start(2, configs([0.5]), { record: false })
    await again
    expect(spawned).toHaveLength(2)
    pool.dispose()
    expect(spawned.every((s) => s.terminated)).toBe(true)
  })

  it('drops events of a replaced job and stops its workers', async () => {
    const spawned: Spawned[] = []
    const pool = new TrainingPool(inProcessFactory(spawned), 1)
    const seen: TrainingEvent[] = []
    pool.onEvent((e) => seen.push(e))
    const firstBatch = new Promise<void>((r) => pool.onEvent((e) => e.type === 'batch' && e.runId === 1 && r()))
    pool.start(1, configs([0.5], 50_000_000), { record: false })
    await firstBatch
    const done = untilDone(pool, 2, 1)
    pool.start(2, configs([2]), { record: false })
    await done
    expect(spawned[0].posted.map((c) => `${c.type}:${c.runId}`)).toEqual(['start:1', 'stop:1', 'start:2'])
    const afterSecondStart = seen.slice(seen.findIndex((e) => e.runId === 2))
    expect(afterSecondStart.every((e) => e.runId === 2)).toBe(true)
    expect(lossesOf(seen, 0).length).toBeGreaterThan(70)
    pool.dispose()
  })

  it('stop ends running runs and the queued ones with "stopped"', async () => {
    const pool = new TrainingPool(inProcessFactory([]), 1)
    const cs = configs([0.5, 1, 2], 50_000_000)
    const done = untilDone(pool, 7, 3)
    pool.start(7, cs, { record: false })
    await tick(30)
    pool.stop(7)
    const events = await done
    const reasons = events.filter((e) => e.type === 'done').map((e) => (e.type === 'done' ? [e.run, e.stopReason.kind] : null))
    expect(reasons).toEqual(
      expect.arrayContaining([
        [0, 'stopped'],
        [1, 'stopped'],
        [2, 'stopped'],
      ])
    )
    expect(events.filter((e) => e.type === 'started').map((e) => e.run)).toEqual([0])
    pool.dispose()
  })

  it('pause, step and resume reach every running run; queued runs start paused', async () => {
    const pool = new TrainingPool(inProcessFactory([]), 2)
    const seen: TrainingEvent[] = []
    pool.onEvent((e) => seen.push(e))
    pool.start(3, configs([0.5, 2, 4], 1000), { record: true, paused: true })
    const paused = (): number[] => seen.filter((e) => e.type === 'paused').map((e) => e.run)
    await until(() => paused().length === 2)
    expect(paused().sort()).toEqual([0, 1])
    pool.step(3, 5)
    await until(() => paused().length === 4)
    await tick(20)
    expect(lossesOf(seen, 0)).toHaveLength(5)
    expect(lossesOf(seen, 1)).toHaveLength(5)
    const done = untilDone(pool, 3, 3)
    pool.resume(3)
    const events = [...seen, ...(await done)]
    for (const run of [0, 1, 2]) expect(lossesOf(events, run)).toHaveLength(1000)
    pool.dispose()
  })

  it('a worker that dies is reported for its run and replaced', async () => {
    const spawned: Spawned[] = []
    const pool = new TrainingPool(inProcessFactory(spawned, { throwOnRun: 1 }), 1)
    const cs = configs([0.5, 1, 2])
    const done = untilDone(pool, 4, 3)
    pool.start(4, cs, { record: false })
    const events = await done
    const error = events.find((e) => e.type === 'error')
    expect(error).toMatchObject({ runId: 4, run: 1, message: expect.stringContaining('boom') })
    expect(spawned).toHaveLength(2)
    expect(spawned[0].terminated).toBe(true)
    expect(lossesOf(events, 2)).toEqual(Array.from(train(cs[2]).losses))
    pool.dispose()
  })

  it('commands with a stale runId do nothing', async () => {
    const spawned: Spawned[] = []
    const pool = new TrainingPool(inProcessFactory(spawned), 1)
    const done = untilDone(pool, 5, 1)
    pool.start(5, configs([0.5]), { record: false })
    pool.pause(4)
    pool.stop(4)
    await done
    expect(spawned[0].posted.map((c) => c.type)).toEqual(['start'])
    pool.dispose()
  })

  it('a worker that does not answer stop in time is terminated and replaced; its run ends "stopped"', async () => {
    const terminated: number[] = []
    let made = 0
    // A worker busy in one long epoch: it reports a batch and then hears nothing.
    const factory: WorkerFactory = (onEvent) => {
      const id = made++
      return {
        post(command) {
          if (command.type === 'start' && id === 0)
            setImmediate(() => {
              onEvent({ type: 'started', runId: command.runId, run: command.run, columns: [] })
              const one = new Float64Array(3)
              onEvent({
                type: 'batch',
                runId: command.runId,
                run: command.run,
                from: 0,
                count: 3,
                columns: null,
                losses: one,
                weights: one,
                biases: one,
                epochsPerSecond: 1,
              })
            })
          if (command.type === 'start' && id > 0)
            setImmediate(() =>
              onEvent({ type: 'done', runId: command.runId, run: command.run, stopReason: { kind: 'epochs', epochs: 1, message: '' } })
            )
        },
        terminate: () => terminated.push(id),
      }
    }
    const pool = new TrainingPool(factory, 1)
    const seen: TrainingEvent[] = []
    pool.onEvent((e) => seen.push(e))
    pool.start(1, configs([0.5]), { record: false })
    await until(() => seen.some((e) => e.type === 'batch'))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const done = untilDone(pool, 1, 1)
    pool.stop(1)
    // Terminated when the grace period ends, not before.
    await vi.advanceTimersByTimeAsync(STOP_GRACE_MS - 1)
    expect(terminated).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()
    const [end] = (await done).filter((e) => e.type === 'done')
    expect(end).toMatchObject({ run: 0, stopReason: { kind: 'stopped', epochs: 3 } })
    expect(terminated).toEqual([0])
    expect(pool.workerCount).toBe(0)
    const next = untilDone(pool, 2, 1)
    pool.start(2, configs([0.5]), { record: false })
    expect(await next).toContainEqual(expect.objectContaining({ type: 'done', runId: 2 }))
    expect(made).toBe(2)
    pool.dispose()
  })

  it('holds every run of a job to its pace, running or queued, and a new pace reaches them all', async () => {
    const spawned: Spawned[] = []
    const pool = new TrainingPool(inProcessFactory(spawned), 2)
    const cs = configs([0.1, 0.5, 2])
    const events: TrainingEvent[] = []
    pool.onEvent((e) => events.push(e))
    const done = untilDone(pool, 1, 3)
    // Two epochs a second: 70 epochs would take 35 s.
    pool.start(1, cs, { record: false, pace: 2 })
    await until(() => events.filter((e) => e.type === 'batch').length >= 2)
    const starts = spawned.flatMap((s) => s.posted.filter((c) => c.type === 'start'))
    expect(starts.map((c) => c.type === 'start' && c.pace)).toEqual([2, 2])
    // Epoch by epoch, each its own batch (a busy machine may have let a few more through, never a slice's worth).
    const counts = events.filter((e) => e.type === 'batch').map((e) => e.type === 'batch' && e.count)
    expect(counts.every((n) => n === 1) && counts.length < 10).toBe(true)
    pool.pace(2, 0) // another job's: ignored
    pool.pace(1, NaN) // not a pace: full speed
    await done
    const paces = spawned.flatMap((s) => s.posted.filter((c) => c.type === 'pace'))
    expect(paces).toEqual([
      { type: 'pace', runId: 1, epochsPerSecond: 0 },
      { type: 'pace', runId: 1, epochsPerSecond: 0 },
    ])
    // The queued run starts at the job's pace as it is now, and every run's numbers are the engine's.
    const third = spawned.flatMap((s) => s.posted).find((c) => c.type === 'start' && c.run === 2)
    expect(third).toMatchObject({ pace: 0 })
    cs.forEach((c, run) => expect(lossesOf(events, run)).toEqual(Array.from(train(c).losses)))
    pool.dispose()
  })

  it('rejects a pool size below one', () => {
    expect(() => new TrainingPool(inProcessFactory([]), 0)).toThrow(RangeError)
  })
})
