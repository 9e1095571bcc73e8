import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../../src/main/training/runner'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import type { TrainingEvent } from '../../../src/shared/training/protocol'

/**
 * Closing the window or quitting ends every run: the runner's worker threads are terminated, not
 * left training. The threads are counted by Node's diagnostic report, which lists every live
 * worker thread of this process, independently of the runner's own bookkeeping.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')

interface ReportWithWorkers {
  workers: unknown[]
}
const liveThreads = (): number => (process.report.getReport() as unknown as ReportWithWorkers).workers.length

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Threads end within milliseconds; the bound only keeps a broken dispose from hanging the suite (a loaded machine must pass). */
async function until(test: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now()
  while (!test()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out')
    await sleep(10)
  }
  return performance.now() - t0
}

/** Two long runs (one per learning rate) training on two real worker threads. */
function twoLongRuns(runId: number) {
  const pool = createTrainingRunner(bootstrap, 2, { workerData: { entry } })
  const events: TrainingEvent[] = []
  pool.onEvent((e) => events.push(e))
  const exp = defaultExperiment()
  exp.training.learningRates = [0.5, 2]
  exp.training.epochs = 1e8
  pool.start(runId, runConfigs(exp), { record: false })
  const training = (): boolean => [0, 1].every((run) => events.some((e) => e.type === 'batch' && e.run === run))
  return { pool, events, training }
}

describe('ending every run when the window closes or the app quits', () => {
  it('dispose terminates the worker threads that are training, and nothing arrives after it', async () => {
    const before = liveThreads()
    const { pool, events, training } = twoLongRuns(1)
    await until(training, 30_000)
    expect(liveThreads()).toBe(before + 2)
    pool.dispose()
    const took = await until(() => liveThreads() === before, 20_000)
    console.info(`both threads gone ${took.toFixed(0)} ms after dispose`)
    const seen = events.length
    await sleep(200)
    expect(events).toHaveLength(seen)
    expect(() => pool.start(2, runConfigs(defaultExperiment()), { record: false })).toThrow(/disposed/)
    expect(liveThreads()).toBe(before)
  })

  it('reset (the window closed, the app stays) terminates them too, and the next window can train', async () => {
    const before = liveThreads()
    const { pool, events, training } = twoLongRuns(3)
    try {
      await until(training, 30_000)
      expect(liveThreads()).toBe(before + 2)
      pool.reset()
      await until(() => liveThreads() === before, 20_000)
      expect(pool.workerCount).toBe(0)
      pool.start(4, runConfigs(defaultExperiment()), { record: false })
      await until(() => events.some((e) => e.runId === 4 && e.type === 'done'), 30_000)
      expect(events.find((e) => e.runId === 4 && e.type === 'done')).toMatchObject({ stopReason: { kind: 'epochs', epochs: 70 } })
      expect(events.filter((e) => e.runId === 3 && (e.type === 'done' || e.type === 'error'))).toEqual([])
      expect(liveThreads()).toBe(before + 1)
    } finally {
      pool.dispose()
    }
    await until(() => liveThreads() === before, 20_000)
  })
})
