import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it, vi } from 'vitest'
import { train } from '../../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { BATCHES_PER_SECOND, type TrainingBatch, type TrainingEvent } from '../../../src/shared/training/protocol'
import { createTrainingSession, type Post } from '../../../src/shared/training/session'
import { simulateCpu } from './simulated-cpu'

/**
 * A training session on a simulated machine: its clock is injected, and each slice of training
 * advances that clock by the epochs the slice ran divided by the machine's speed. The numbers
 * are the real engine's; only the time is simulated, so the pace of batches is checked exactly,
 * whatever the load on the machine running the test.
 */
interface Stamped {
  event: TrainingEvent
  at: number
}

function simulate(options: { epochsPerMs: number; ms: number; record: boolean; post?: Post }): Stamped[] {
  let clock = 0
  simulateCpu(options.epochsPerMs, (ms) => (clock += ms))
  const seen: Stamped[] = []
  const queue: (() => void)[] = []
  const handle = createTrainingSession(
    (event, transfer) => {
      seen.push({ event, at: clock })
      options.post?.(event, transfer)
    },
    (fn) => queue.push(fn),
    16, // cores to spare: no rest between slices, so every slice goes through `queue`
    () => clock
  )
  const config = { ...runConfigs(defaultExperiment())[0], epochs: 1e8 }
  handle({ type: 'start', runId: 1, run: 0, config, record: options.record })
  while (clock < options.ms) {
    const next = queue.shift()
    if (!next) throw new Error(`the session stopped scheduling: ${JSON.stringify(seen.at(-1)?.event)}`)
    next()
  }
  handle({ type: 'stop', runId: 1 })
  vi.restoreAllMocks()
  return seen
}

const batches = (seen: Stamped[]): (Stamped & { event: TrainingBatch })[] =>
  seen.filter((s): s is Stamped & { event: TrainingBatch } => s.event.type === 'batch')

describe('a training session sends its epochs in batches', () => {
  it(`at most ${BATCHES_PER_SECOND} a second of simulated time, however fast the machine trains`, () => {
    const interval = 1000 / BATCHES_PER_SECOND
    // From a slow machine (1,000 epochs/s) to one 300 times faster: the same pace of batches.
    for (const epochsPerMs of [1, 30, 300]) {
      const seen = simulate({ epochsPerMs, ms: 4000, record: false })
      const sent = batches(seen)
      // The last batch is the stop's flush, sent at once.
      const paced = sent.slice(0, -1)
      for (let i = 1; i < paced.length; i++) {
        const gap = paced[i].at - paced[i - 1].at
        expect(gap, `${epochsPerMs} epochs/ms, batch ${i}`).toBeGreaterThanOrEqual(interval)
        // ...and no later than the slice (about 8 ms) that crosses the interval.
        expect(gap, `${epochsPerMs} epochs/ms, batch ${i}`).toBeLessThan(interval + 10)
      }
      expect(paced.length).toBeLessThanOrEqual(4 * BATCHES_PER_SECOND)
      expect(paced.length).toBeGreaterThanOrEqual(4 * 20)
      // Nothing is lost between batches: epochs 0…n, each once, as the engine trains them.
      const epochs = sent.reduce((n, s) => (expect(s.event.from).toBe(n), n + s.event.count), 0)
      expect(seen.at(-1)!.event).toMatchObject({ type: 'done', stopReason: { kind: 'stopped', epochs } })
      expect(epochs).toBeGreaterThan(epochsPerMs * 3900)
      // The epochs-per-second figure a batch carries is on the same clock.
      expect(paced[5].event.epochsPerSecond).toBeCloseTo(epochsPerMs * 1000, -1)
    }
  })

  it('moves every buffer of a batch through the port (detached in the sender) and the receiver gets every number', async () => {
    const { port1, port2 } = new MessageChannel()
    const received: TrainingBatch[] = []
    port2.on('message', (e: TrainingEvent) => e.type === 'batch' && received.push(e))
    const detached: boolean[] = []
    const seen = simulate({
      epochsPerMs: 5,
      ms: 1000,
      record: true,
      // What the worker thread does (src/main/training/worker.ts): post with the transfer list.
      post: (event, transfer) => {
        port1.postMessage(event, transfer)
        if (event.type === 'batch')
          detached.push([event.losses, event.weights, event.biases, ...event.columns!].every((a) => a.buffer.byteLength === 0))
      },
    })
    const sent = batches(seen).length
    expect(sent).toBeGreaterThan(20)
    expect(detached).toEqual(Array(sent).fill(true))
    await vi.waitUntil(() => received.length === sent)
    port1.close()
    const count = received.reduce((n, b) => n + b.count, 0)
    const engine = train({ ...runConfigs(defaultExperiment())[0], epochs: count })
    const losses = received.flatMap((b) => Array.from(b.losses))
    expect(losses).toEqual(Array.from(engine.losses))
    // Every recorded column arrives whole (inputs and targets are not sent: the receiver has them).
    expect(received.at(-1)!.columns!.length).toBeGreaterThan(20)
    expect(received.at(-1)!.weights).toHaveLength(8)
  })
})
