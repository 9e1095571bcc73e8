import { describe, expect, it } from 'vitest'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import type { TrainingEvent } from '../../../src/shared/training/protocol'
import { createTrainingSession, restAfterSlice } from '../../../src/shared/training/session'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Epochs a session trains in `ms` of wall time (the sheet's 2-2-2, nothing recorded), then stopped. */
async function epochsIn(ms: number, cores: number, together: number): Promise<number> {
  let epochs = 0
  let stopped = false
  const handle = createTrainingSession(
    (e: TrainingEvent) => {
      if (e.type === 'batch') epochs = e.from + e.count
      if (e.type === 'done') stopped = true
    },
    (fn) => setImmediate(fn),
    cores
  )
  const config = { ...runConfigs(defaultExperiment())[0], epochs: 10_000_000 }
  handle({ type: 'start', runId: 1, run: 0, config, record: false, together })
  await sleep(ms)
  handle({ type: 'stop', runId: 1 })
  expect(stopped).toBe(true)
  return epochs
}

describe('a training session rests after each slice when told to', () => {
  it('the runs training at once share what the page leaves: 4/3 of a core, and at least 2/3 of one for the runs', () => {
    // Two cores (or an unknown number): one run trains 2/3 of the time (rests half a slice), six 1/9.
    expect([1, 2, undefined, 0].map((cores) => restAfterSlice(cores))).toEqual([4, 4, 4, 4])
    expect(restAfterSlice(2, 6)).toBe(64)
    // More cores: one run flat out; six runs on 4 cores share 2 2/3 of them.
    expect([3, 4, 16].map((cores) => restAfterSlice(cores))).toEqual([0, 0, 0])
    expect(restAfterSlice(4, 6)).toBe(10)
    expect(restAfterSlice(16, 6)).toBe(0)
  })

  it('a session trains all the time with cores to spare, a ninth of it as one of six runs on two cores', async () => {
    await epochsIn(100, 16, 1) // warm the engine up
    const flatOut = await epochsIn(400, 16, 1)
    const sharing = await epochsIn(400, 2, 6)
    expect(sharing).toBeGreaterThan(0)
    // About 1/9 of the epochs; 0.4 leaves room for a loaded machine.
    expect(sharing / flatOut).toBeLessThan(0.4)
  })
})
