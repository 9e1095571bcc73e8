import { describe, expect, it } from 'vitest'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import type { TrainingEvent } from '../../../src/shared/training/protocol'
import { createTrainingSession, restAfterSlice } from '../../../src/shared/training/session'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Epochs a session trains in `ms` of wall time (the sheet's 2-2-2, nothing recorded), then stopped. */
async function epochsIn(ms: number, restMs: number): Promise<number> {
  let epochs = 0
  let stopped = false
  const handle = createTrainingSession(
    (e: TrainingEvent) => {
      if (e.type === 'batch') epochs = e.from + e.count
      if (e.type === 'done') stopped = true
    },
    (fn) => setImmediate(fn),
    restMs
  )
  const config = { ...runConfigs(defaultExperiment())[0], epochs: 10_000_000 }
  handle({ type: 'start', runId: 1, run: 0, config, record: false })
  await sleep(ms)
  handle({ type: 'stop', runId: 1 })
  expect(stopped).toBe(true)
  return epochs
}

describe('a training session rests after each slice when told to', () => {
  it('rests half a slice on two cores or fewer (or an unknown number), not with more', () => {
    expect([1, 2, undefined, 0].map(restAfterSlice)).toEqual([4, 4, 4, 4])
    expect([3, 4, 16].map(restAfterSlice)).toEqual([0, 0, 0])
  })

  it('a session resting 24 ms per 8 ms slice trains well under half as much in the same time', async () => {
    await epochsIn(100, 0) // warm the engine up
    const flatOut = await epochsIn(400, 0)
    const resting = await epochsIn(400, 24)
    expect(resting).toBeGreaterThan(0)
    // Training a quarter of the time: about 0.25 of the epochs (0.5 leaves room for a loaded machine).
    expect(resting / flatOut).toBeLessThan(0.5)
  })
})
