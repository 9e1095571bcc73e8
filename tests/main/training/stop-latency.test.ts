import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../../src/main/training/runner'
import type { RunConfig } from '../../../src/shared/engine/types'
import type { TrainingEvent } from '../../../src/shared/training/protocol'

/**
 * Stop latency with real worker threads, in a file of its own: a process that has just dropped
 * the big tables of other tests can pause for a major GC at any moment, which would measure the
 * test process, not the runner.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')
const pool = createTrainingRunner(bootstrap, 1, { workerData: { entry } })
afterAll(() => pool.dispose())

function net(layers: number[]): RunConfig {
  let seed = 7
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2
  const weights: number[] = []
  for (let l = 1; l < layers.length; l++) for (let i = 0; i < layers[l] * layers[l - 1]; i++) weights.push(rand())
  return {
    network: { layers, activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' },
    loss: 'half-sse',
    samples: [
      {
        inputs: Array.from({ length: layers[0] }, (_, i) => (i % 7) / 7),
        targets: Array.from({ length: layers.at(-1)! }, (_, i) => (i === 3 ? 1 : 0)),
      },
    ],
    weights,
    biases: layers.slice(1).flatMap((n) => Array.from({ length: n }, rand)),
    learningRate: 0.01,
    momentum: 0,
    epochs: 1e8,
    stopBelow: 0,
  }
}

function next(test: (e: TrainingEvent) => boolean): Promise<{ event: TrainingEvent; at: number }> {
  return new Promise((resolvePromise) => {
    const off = pool.onEvent((event) => {
      if (!test(event)) return
      off()
      resolvePromise({ event, at: performance.now() })
    })
  })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('stop', () => {
  async function latencies(config: RunConfig, record: boolean): Promise<number[]> {
    const out: number[] = []
    for (let attempt = 0; attempt < 6; attempt++) {
      const runId = (record ? 100 : 10) + attempt
      const firstBatch = next((e) => e.runId === runId && e.type !== 'started')
      pool.start(runId, [config], { record })
      expect((await firstBatch).event.type).toBe('batch')
      // Stop at a different point of the 33 ms batch interval each time.
      await sleep(100 + attempt * 23)
      const end = next((e) => e.runId === runId && (e.type === 'done' || e.type === 'error'))
      const asked = performance.now()
      pool.stop(runId)
      const { event, at } = await end
      out.push(at - asked)
      expect(event).toMatchObject({ type: 'done', stopReason: { kind: 'stopped' } })
      expect(event.type === 'done' && event.stopReason.epochs).toBeGreaterThan(0)
    }
    return out
  }

  it('answers within 100 ms while training a [64, 256, 256, 10] net, mid-batch', async () => {
    const measured = await latencies(net([64, 256, 256, 10]), false)
    console.info(`stop latency, [64, 256, 256, 10]: ${measured.map((l) => l.toFixed(1)).join(', ')} ms`)
    expect(Math.max(...measured)).toBeLessThan(100)
  })

  it('answers within 100 ms while recording every column of a [16, 64, 64, 4] net (about 11,000 columns)', async () => {
    const measured = await latencies(net([16, 64, 64, 4]), true)
    console.info(`stop latency, [16, 64, 64, 4] recorded: ${measured.map((l) => l.toFixed(1)).join(', ')} ms`)
    expect(Math.max(...measured)).toBeLessThan(100)
  })
})
