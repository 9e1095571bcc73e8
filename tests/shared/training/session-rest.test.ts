import { describe, expect, it, vi } from 'vitest'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { createTrainingSession, restAfterSlice } from '../../../src/shared/training/session'
import { simulateCpu } from './simulated-cpu'

// A power of two, so simulated times are exact in binary and every slice measures exactly 8 ms.
const EPOCHS_PER_MS = 64

/**
 * A session on fake timers, its slices' epochs costing simulated CPU time (EPOCHS_PER_MS): the
 * fake-clock times at which it starts its slices, until `slices` have run, and their epochs.
 */
async function sliceStarts(cores: number, together: number, slices: number): Promise<number[] & { epochs: number[] }> {
  let cpu = 0
  const starts = Object.assign([] as number[], { epochs: [] as number[] })
  // The fake clock stands still while a slice trains, so it still reads the slice's start.
  simulateCpu(EPOCHS_PER_MS, (ms, epochs) => {
    starts.push(performance.now())
    starts.epochs.push(epochs)
    cpu += ms
  })
  const handle = createTrainingSession(
    () => {},
    (fn) => setTimeout(fn, 0),
    cores,
    () => performance.now() + cpu
  )
  const config = { ...runConfigs(defaultExperiment())[0], epochs: 10_000_000 }
  handle({ type: 'start', runId: 1, run: 0, config, record: false, together })
  while (starts.length < slices) await vi.advanceTimersByTimeAsync(1)
  handle({ type: 'stop', runId: 1 })
  vi.restoreAllMocks()
  return starts
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

  it('a session waits exactly that rest between its slices (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      for (const [cores, together] of [
        [2, 1],
        [2, 6],
        [4, 6],
      ]) {
        const starts = await sliceStarts(cores, together, 12)
        const gaps = starts.slice(1).map((t, i) => t - starts[i])
        expect(gaps, `${cores} cores, ${together} together`).toEqual(Array(11).fill(restAfterSlice(cores, together)))
        // Each slice trains 8 ms of epochs (after the first, which measures the speed): it trains
        // 8 ms in every 8 + rest, two thirds of a core for one run on two cores, a ninth for six.
        expect(starts.epochs.slice(1)).toEqual(Array(11).fill(8 * EPOCHS_PER_MS))
      }
      // With cores to spare it does not rest: the next slice follows in the next task.
      const flatOut = await sliceStarts(16, 1, 12)
      expect(flatOut.slice(1).map((t, i) => t - flatOut[i]).every((gap) => gap <= 1)).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
