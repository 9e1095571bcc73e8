import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../../src/main/training/runner'
import type { RunConfig } from '../../../src/shared/engine/types'
import type { TrainingEvent } from '../../../src/shared/training/protocol'
import { largeNet, nextEvent } from './stop-support'

/**
 * Stop is answered mid-run by a real worker thread training a large network: the worker looks at
 * its messages between slices of training, not when the run ends (100,000,000 epochs, hours).
 * The bound is generous so a loaded 2-core machine passes; the latency itself (a few ms here) is
 * measured by `npm run bench:stop` (bench/stop-latency.bench.ts).
 */
const STOP_ANSWERED_WITHIN_MS = 2000
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')
const pool = createTrainingRunner(bootstrap, 1, { workerData: { entry } })
afterAll(() => pool.dispose())

const next = (test: (e: TrainingEvent) => boolean): Promise<{ event: TrainingEvent; at: number }> => nextEvent(pool, test)

let runId = 0
/** Starts a run, waits for its first batch (it is training), stops it; the time Stop took to answer. */
async function stopMidRun(config: RunConfig, record: boolean): Promise<number> {
  const id = ++runId
  const firstBatch = next((e) => e.runId === id && e.type !== 'started')
  pool.start(id, [config], { record })
  expect((await firstBatch).event.type).toBe('batch')
  const end = next((e) => e.runId === id && (e.type === 'done' || e.type === 'error'))
  const asked = performance.now()
  pool.stop(id)
  const { event, at } = await end
  expect(event).toMatchObject({ type: 'done', stopReason: { kind: 'stopped' } })
  const epochs = event.type === 'done' ? event.stopReason.epochs : 0
  expect(epochs).toBeGreaterThan(0)
  expect(epochs).toBeLessThan(config.epochs)
  return at - asked
}

describe('stop', () => {
  it('is answered mid-run while training a [64, 256, 256, 10] net', async () => {
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await stopMidRun(largeNet([64, 256, 256, 10]), false)).toBeLessThan(STOP_ANSWERED_WITHIN_MS)
  })

  it('is answered mid-run while recording every column of a [16, 64, 64, 4] net (about 11,000 columns)', async () => {
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await stopMidRun(largeNet([16, 64, 64, 4]), true)).toBeLessThan(STOP_ANSWERED_WITHIN_MS)
  })
})
