import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { largestSamplesExperiment } from '../fixtures/large-experiment'

/**
 * Undo at the format's limits (10,000 samples of 512 inputs and 512 targets, ~60 MB as text): an
 * edit's undo step costs what the edit changed, not the document. Counted in bytes, not time: the
 * text serialized per edit (every JSON.stringify the edit causes) and the bytes the history keeps.
 */
beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.restoreAllMocks())

/** Characters JSON.stringify writes while `fn` runs and the watchers it triggers settle. */
async function charsWritten(fn: () => void): Promise<number> {
  const stringify = JSON.stringify
  let chars = 0
  const spy = vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
    const text = stringify(...args)
    chars += text?.length ?? 0
    return text
  })
  fn()
  await nextTick()
  spy.mockRestore()
  return chars
}

describe('undo at the format’s limits', () => {
  it('an edit writes kilobytes for undo, keeps its own sample only, and 50 edits all stay undoable', async () => {
    const store = useExperimentStore()
    store.replace(largestSamplesExperiment())
    await nextTick()
    const loaded = store.experiment.samples

    // One value of the last sample: a few kB of text (the experiment without its samples), not ~60 MB.
    const written = await charsWritten(() => store.setSampleValue(9999, 'targets', 511, 0.25))
    expect(written).toBeLessThan(100_000)
    // The step keeps a pointer per sample and the one sample the edit made (1,024 numbers), and the
    // text of the rest: far below one copy of the samples (10,240,000 numbers, 82 MB).
    const step = store.historySize.bytes
    expect(step).toBeGreaterThan(8 * 10_000)
    expect(step).toBeLessThan(8 * 10_000 + 8 * 2 * 1024 + 100_000)
    // The unchanged samples are the same objects: shared, not copied.
    expect(store.experiment.samples[0]).toBe(loaded[0])
    expect(store.experiment.samples[9998]).toBe(loaded[9998])

    // 49 more edits (samples and a setting): every one can be undone, and the history stays small.
    for (let e = 1; e < 50; e++) {
      if (e % 10 === 0) store.experiment.training.epochs = e
      else store.setSampleValue(e * 100, 'inputs', e, e / 100)
      await nextTick()
    }
    expect(store.historySize.past).toBe(50)
    expect(store.historySize.bytes).toBeLessThan(50 * (8 * 10_000 + 8 * 2 * 1024 + 100_000))

    // Undo all 50: the document is the one loaded, sample for sample.
    for (let e = 0; e < 50; e++) {
      store.undo()
      await nextTick()
    }
    expect(store.canUndo).toBe(false)
    expect(store.experiment.samples).toBe(loaded)
    expect(store.experiment.samples[9999].targets[511]).not.toBe(0.25)
    expect(store.experiment.training.epochs).toBe(1)
    // And redo brings the first edit back, by writing as little.
    const redone = await charsWritten(() => store.redo())
    expect(store.experiment.samples[9999].targets[511]).toBe(0.25)
    expect(redone).toBeLessThan(100_000)
  }, 120_000)

  it('the test samples at the limits are shared too: an edit of one writes kilobytes and keeps its own sample only', async () => {
    const store = useExperimentStore()
    const big = largestSamplesExperiment()
    store.replace({ ...big, samples: big.samples.slice(0, 1), test: big.samples })
    await nextTick()
    const loaded = store.experiment.test

    const written = await charsWritten(() => store.setSampleValue(9999, 'targets', 511, 0.25, 'test'))
    expect(written).toBeLessThan(100_000)
    const step = store.historySize.bytes
    expect(step).toBeGreaterThan(8 * 10_000)
    expect(step).toBeLessThan(8 * 10_000 + 8 * 2 * 1024 + 100_000)
    expect(store.experiment.test[9998]).toBe(loaded[9998])

    const undone = await charsWritten(() => store.undo())
    expect(undone).toBeLessThan(100_000)
    expect(store.experiment.test).toBe(loaded)
  }, 120_000)

  it('removing the first sample keeps a step of kilobytes: the edits before it stay undoable', async () => {
    const store = useExperimentStore()
    store.replace(largestSamplesExperiment())
    await nextTick()
    const loaded = store.experiment.samples
    store.experiment.training.epochs = 5
    await nextTick()

    // Every later sample moves up one place but is the same object: the step keeps pointers, not 82 MB.
    store.removeSample(0)
    await nextTick()
    expect(store.experiment.samples[0]).toBe(loaded[1])
    expect(store.historySize.past).toBe(2)
    expect(store.historySize.bytes).toBeLessThan(2 * (8 * 10_000 + 8 * 2 * 1024 + 100_000))

    store.undo()
    await nextTick()
    expect(store.experiment.samples).toBe(loaded)
    store.undo()
    await nextTick()
    expect(store.experiment.training.epochs).toBe(1)
    expect(store.canUndo).toBe(false)
  }, 120_000)
})
