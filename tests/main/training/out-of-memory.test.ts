import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../../src/main/training/runner'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import type { TrainingEvent } from '../../../src/shared/training/protocol'

/**
 * A real worker thread (src/main/training/worker.ts through tsx) given a small heap runs out of
 * memory on a wide job: the pool reports an error for that run, and this process — the app's main
 * process in the desktop app — stays up and trains the next job on a fresh worker.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')

describe('a worker that runs out of memory', () => {
  it('is reported as an error of its run, and the pool trains the next job', async () => {
    const pool = createTrainingRunner(bootstrap, 1, {
      workerData: { entry },
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
    })
    try {
      const events: TrainingEvent[] = []
      pool.onEvent((e) => events.push(e))
      const ended = (runId: number) =>
        new Promise<TrainingEvent>((resolveEnd, reject) => {
          const timer = setTimeout(() => reject(new Error('no end of the run')), 60_000)
          pool.onEvent((e) => {
            if (e.runId !== runId || (e.type !== 'done' && e.type !== 'error')) return
            clearTimeout(timer)
            resolveEnd(e)
          })
        })
      // 10,000 samples of a 512-512-512 network: its column layout alone is millions of names.
      const wide = defaultExperiment()
      wide.network = { layers: [512, 512, 512], activations: ['sigmoid', 'sigmoid'], bias: 'none' }
      wide.samples = Array.from({ length: 10_000 }, () => ({ inputs: new Array(512).fill(0.5), targets: new Array(512).fill(0.5) }))
      wide.init = { seed: 1, scheme: 'xavier' }
      wide.training.epochs = 1
      const outOfMemory = ended(1)
      pool.start(1, runConfigs(wide), { record: true })
      const failure = await outOfMemory
      expect(failure).toMatchObject({ type: 'error', run: 0 })
      expect((failure as { message: string }).message).toBe(
        'Training worker failed: it ran out of memory (a worker may use 64 MB); train a smaller network or fewer samples'
      )
      // The app is still here: the next job gets a new worker and trains the sheet.
      const next = ended(2)
      pool.start(2, runConfigs(defaultExperiment()), { record: false })
      expect(await next).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 70 } })
    } finally {
      pool.dispose()
    }
  }, 120_000)
})
