/**
 * Stop latency benchmark (a measurement, not a test): how long a real training worker thread
 * takes to answer Stop while it trains a large network, measured 6 times at different points of
 * the 33 ms batch interval. tests/main/training/stop-latency.test.ts checks the behaviour with a
 * generous bound; this prints the figures.
 *
 *   npm run bench:stop
 */
import { fileURLToPath } from 'node:url'
import { createTrainingRunner } from '../src/main/training/runner'
import type { RunConfig } from '../src/shared/engine/types'
import type { TrainingEvent } from '../src/shared/training/protocol'
import { largeNet, nextEvent } from '../tests/main/training/stop-support'

// The real worker source, run through tsx's require hook (a worker thread does not inherit the loader).
const worker = fileURLToPath(new URL('../src/main/training/worker.ts', import.meta.url))
const pool = createTrainingRunner(`require('tsx/cjs/api').register(); require(${JSON.stringify(worker)})`, 1, { eval: true })

const next = (test: (e: TrainingEvent) => boolean): Promise<{ event: TrainingEvent; at: number }> => nextEvent(pool, test)

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
let runId = 0

async function latencies(config: RunConfig, record: boolean): Promise<number[]> {
  const out: number[] = []
  for (let attempt = 0; attempt < 6; attempt++) {
    const id = ++runId
    const firstBatch = next((e) => e.runId === id && e.type === 'batch')
    pool.start(id, [config], { record })
    await firstBatch
    await sleep(100 + attempt * 23)
    const end = next((e) => e.runId === id && (e.type === 'done' || e.type === 'error'))
    const asked = performance.now()
    pool.stop(id)
    out.push((await end).at - asked)
  }
  return out
}

try {
  for (const [label, layers, record] of [
    ['[64, 256, 256, 10]', [64, 256, 256, 10], false],
    ['[16, 64, 64, 4] recording every column (about 11,000)', [16, 64, 64, 4], true],
  ] as const) {
    const ms = await latencies(largeNet([...layers]), record)
    const sorted = [...ms].sort((a, b) => a - b)
    console.log(`stop latency, ${label}: median ${sorted[3].toFixed(1)} ms, max ${sorted[5].toFixed(1)} ms (${ms.map((l) => l.toFixed(1)).join(', ')})`)
  }
} finally {
  pool.dispose()
}
