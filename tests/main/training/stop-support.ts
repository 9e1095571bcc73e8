import { sheetTraining, type RunConfig } from '../../../src/shared/engine/types'
import type { TrainingPool } from '../../../src/shared/training/pool'
import type { TrainingEvent } from '../../../src/shared/training/protocol'

// What the stop-latency test and benchmark (bench/stop-latency.bench.ts) share; format-edges.test.ts
// waits with nextEvent too.

/**
 * A large tanh network with seeded weights and 100,000,000 epochs: far more than a test waits
 * for, so a run ends only when stopped (the stop-latency test and benchmark).
 */
export function largeNet(layers: number[]): RunConfig {
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
    ...sheetTraining(),
    epochs: 1e8,
    stopBelow: 0,
  }
}

/** The first event of `pool` matching `test` from now on, and when it arrived. */
export function nextEvent(pool: TrainingPool, test: (e: TrainingEvent) => boolean): Promise<{ event: TrainingEvent; at: number }> {
  return new Promise((resolve) => {
    const off = pool.onEvent((event) => {
      if (!test(event)) return
      off()
      resolve({ event, at: performance.now() })
    })
  })
}
