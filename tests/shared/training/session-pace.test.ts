import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { BATCHES_PER_SECOND, MAX_PACE, paceOf, type TrainingBatch, type TrainingCommand, type TrainingEvent } from '../../../src/shared/training/protocol'
import { createTrainingSession } from '../../../src/shared/training/session'
import { simulateCpu } from './simulated-cpu'

/**
 * The speed control inside a training worker, on fake timers and a simulated machine (64 epochs a
 * millisecond of simulated CPU): what the session trains and sends, when, for a pace in epochs a
 * second. No test here waits for real time.
 */
interface Seen {
  event: TrainingEvent
  at: number
}

function session(start: Partial<Extract<TrainingCommand, { type: 'start' }>> = {}) {
  let cpu = 0
  simulateCpu(64, (ms) => (cpu += ms))
  const seen: Seen[] = []
  const clock = (): number => performance.now() + cpu
  const handle = createTrainingSession(
    (event) => seen.push({ event, at: clock() }),
    (fn) => setTimeout(fn, 0),
    16, // cores to spare: no rest between slices, so only the pace holds the session back
    clock
  )
  const config = { ...runConfigs(defaultExperiment())[0], epochs: 100_000_000 }
  handle({ type: 'start', runId: 1, run: 0, config, record: true, ...start })
  const batches = (): (Seen & { event: TrainingBatch })[] => seen.filter((s): s is Seen & { event: TrainingBatch } => s.event.type === 'batch')
  const epochs = (): number => batches().reduce((n, b) => n + b.event.count, 0)
  return { handle, seen, batches, epochs, clock }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('a training session held to a pace', () => {
  it('at 5 epochs a second trains one epoch every 200 ms, the first at once, each sent as its own batch', async () => {
    const s = session({ pace: 5 })
    await vi.advanceTimersByTimeAsync(2100)
    const sent = s.batches()
    // Epochs at 0, 200, …, 2000 ms: eleven, one per batch, in order.
    expect(sent.map((b) => b.event.count)).toEqual(Array(11).fill(1))
    expect(sent.map((b) => b.event.from)).toEqual([...Array(11).keys()])
    const times = sent.map((b) => Math.round(b.at))
    expect(times).toEqual(times.map((_, i) => 200 * i))
    // Each batch carries the parameters after its epoch: they change epoch by epoch.
    expect(sent[1].event.weights).not.toEqual(sent[0].event.weights)
  })

  it('a faster pace takes effect at once, not after the slow wait already scheduled; 0 is full speed', async () => {
    const s = session({ pace: 1 })
    await vi.advanceTimersByTimeAsync(100)
    expect(s.epochs()).toBe(1)
    // The session waits until t = 1000 ms for its next epoch; 10 a second starts now.
    s.handle({ type: 'pace', runId: 1, epochsPerSecond: 10 })
    await vi.advanceTimersByTimeAsync(0)
    expect(s.epochs()).toBe(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(s.epochs()).toBe(12)
    s.handle({ type: 'pace', runId: 1, epochsPerSecond: 0 })
    await vi.advanceTimersByTimeAsync(1000)
    // Full speed: the simulated machine's 64 epochs a ms, within a slice.
    expect(s.epochs()).toBeGreaterThan(60_000)
  })

  it('slowing a full-speed run down holds it to the new pace from then on', async () => {
    const s = session()
    await vi.advanceTimersByTimeAsync(200)
    const before = s.epochs()
    expect(before).toBeGreaterThan(10_000)
    s.handle({ type: 'pace', runId: 1, epochsPerSecond: 2 })
    await vi.advanceTimersByTimeAsync(0)
    const from = s.epochs()
    await vi.advanceTimersByTimeAsync(3000)
    // One epoch at once, then one every 500 ms.
    expect(s.epochs() - from).toBe(7)
  })

  it('a fast pace trains that many epochs a second but sends at most the usual batches a second', async () => {
    const s = session({ pace: 1000 })
    await vi.advanceTimersByTimeAsync(2000)
    // The session's clock also counts the simulated CPU time of its epochs.
    const allowed = 1 + Math.floor(s.clock())
    expect(s.epochs()).toBeLessThanOrEqual(allowed)
    // Sent, that is: the epochs of the last batch interval may still wait for their batch.
    expect(s.epochs()).toBeGreaterThanOrEqual(allowed - 1000 / BATCHES_PER_SECOND - 1)
    expect(s.batches().length).toBeLessThanOrEqual(2 * BATCHES_PER_SECOND + 1)
  })

  it('pause holds a paced run, step runs its epochs at once, and resume counts the pace from then', async () => {
    const s = session({ pace: 2 })
    await vi.advanceTimersByTimeAsync(600)
    expect(s.epochs()).toBe(2)
    s.handle({ type: 'pause', runId: 1 })
    await vi.advanceTimersByTimeAsync(5000)
    expect(s.epochs()).toBe(2)
    s.handle({ type: 'step', runId: 1, epochs: 10 })
    await vi.advanceTimersByTimeAsync(5)
    expect(s.epochs()).toBe(12)
    expect(s.seen.at(-1)!.event).toMatchObject({ type: 'paused', epochs: 12 })
    s.handle({ type: 'resume', runId: 1 })
    await vi.advanceTimersByTimeAsync(1100)
    expect(s.epochs()).toBe(15)
  })

  it('a pace of another job is ignored, and stop ends a run waiting for its next epoch at once', async () => {
    const s = session({ pace: 1 })
    await vi.advanceTimersByTimeAsync(10)
    s.handle({ type: 'pace', runId: 2, epochsPerSecond: 0 })
    await vi.advanceTimersByTimeAsync(500)
    expect(s.epochs()).toBe(1)
    s.handle({ type: 'stop', runId: 1 })
    expect(s.seen.at(-1)!.event).toMatchObject({ type: 'done', stopReason: { kind: 'stopped', epochs: 1 } })
    await vi.advanceTimersByTimeAsync(3000)
    expect(s.epochs()).toBe(1)
  })
})

describe('paceOf', () => {
  it('keeps a positive finite pace up to MAX_PACE, and makes anything else full speed', () => {
    expect([0.5, 5, MAX_PACE].map(paceOf)).toEqual([0.5, 5, MAX_PACE])
    expect(paceOf(MAX_PACE * 10)).toBe(MAX_PACE)
    expect([undefined, 0, -1, NaN, Infinity, -Infinity].map(paceOf)).toEqual([0, 0, 0, 0, 0, 0])
  })
})
