// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { estimateCost, fitsOpenBudget, jobOf } from '../../src/shared/cost'
import { documentFromRuns, parseDocumentText, serializeDocument, type RunRecord } from '../../src/shared/document'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs, type Experiment } from '../../src/shared/experiment'
import FileNotice from '../../src/renderer/src/components/document/FileNotice.vue'
import { useDocumentStore } from '../../src/renderer/src/stores/document'
import { useSavedResultsStore } from '../../src/renderer/src/stores/saved-results'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { advanceUntil, installSimulatedHost, installTestHost, until } from './in-process-host'

/**
 * Opening a file whose runs would take long to retrain (issue 12 item 8): its saved results are
 * shown as saved, marked "not yet verified", with Verify (progress, Cancel). The real engine trains
 * in (in-process) workers behind the browser host; the file is built by the real engine too.
 */
beforeEach(() => {
  setActivePinia(createPinia())
  setFrameScheduler((fn) => setTimeout(fn, 0))
  installTestHost()
})
afterEach(() => {
  useDocumentStore().dispose()
  useTrainingStore().reset()
})

/** Two runs of the sheet's network set to train 10 million epochs, saved after `stoppedAt` epochs each. */
function longFile(stoppedAt: [number, number]): { exp: Experiment; text: string } {
  const exp = defaultExperiment()
  exp.training.learningRates = [0.5, 2]
  exp.training.epochs = 10_000_000
  const runs = runConfigs(exp).map((config, i) => {
    const trainer = new Trainer(config, { record: false })
    trainer.step(stoppedAt[i])
    return { learningRate: config.learningRate, losses: trainer.losses.toArray(), weights: trainer.weights, biases: [], stopReason: null }
  })
  return { exp, text: serializeDocument(documentFromRuns(exp, runs)) }
}

describe('a file beyond the open budget', () => {
  it('shows the saved results "not yet verified" without training; Verify checks them', async () => {
    const { exp, text } = longFile([100, 100])
    expect(fitsOpenBudget(estimateCost(jobOf(exp)))).toBe(false)
    const doc = useDocumentStore()
    await doc.init()
    expect(await doc.openFile({ name: 'long.bplab', path: null, text }, true)).toBe(true)
    const training = useTrainingStore()
    const saved = useSavedResultsStore()
    expect(saved.unverified?.estimate).toMatch(/^retraining its 2 runs would take about \d+ s$/)
    // The saved numbers, shown as they were saved; nothing trains.
    expect(training.status).toBe('done')
    expect(training.runs.map((r) => r.epochs)).toEqual([100, 100])
    expect(training.runs.map((r) => r.stopReason?.kind)).toEqual(['stopped', 'stopped'])
    expect(training.recordNote).toMatch(/not yet verified/)
    const wrapper = mount(FileNotice)
    expect(wrapper.get('[data-notice="unverified"]').text()).toMatch(/^Saved results, not yet verified: retraining its 2 runs would take about/)
    await wrapper.get('[data-testid="verify"]').trigger('click')
    expect(saved.verifying).toBe(true)
    await until(() => !saved.verifying)
    expect(saved.unverified).toBeNull()
    expect(doc.resultsVerified).toBe(true)
    expect(doc.resultsMessage).toBeNull()
    expect(training.runs.map((r) => r.epochs)).toEqual([100, 100])
  })

  it('Cancel ends the check and shows the saved results again, still not verified', async () => {
    // Stopped at different epochs: Verify retrains every run in full (10 million epochs each). On
    // the simulated machine (100 epochs a simulated ms, batches ≥ 33 ms apart) the check is under
    // way, not finished, when Cancel is clicked: 30,000 epochs take 300 simulated ms.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    installSimulatedHost()
    try {
      const { text } = longFile([100, 30_000])
      const doc = useDocumentStore()
      await doc.init()
      await doc.openFile({ name: 'long.bplab', path: null, text }, true)
      const training = useTrainingStore()
      const saved = useSavedResultsStore()
      const wrapper = mount(FileNotice)
      saved.verify()
      expect(training.status).toBe('running')
      await advanceUntil(() => training.runs.some((r) => r.epochs > 0))
      await wrapper.vm.$nextTick()
      expect(wrapper.get('[data-notice="unverified"]').text()).toMatch(/^Verifying the saved results… \d+ %/)
      expect(saved.verifying).toBe(true)
      await wrapper.get('[data-testid="verify-cancel"]').trigger('click')
      await advanceUntil(() => !saved.verifying)
      expect(saved.unverified).not.toBeNull()
      expect(doc.resultsVerified).toBe(false)
      expect(training.status).toBe('done')
      expect(training.runs.map((r) => r.epochs)).toEqual([100, 30_000])
    } finally {
      useDocumentStore().dispose()
      useTrainingStore().reset()
      vi.useRealTimers()
      vi.restoreAllMocks()
    }
  })

  it('a file within the budget is retrained and checked on open, as before', async () => {
    const exp = defaultExperiment()
    const runs = runConfigs(exp).map((config) => {
      const trainer = new Trainer(config, { record: false })
      trainer.step(Infinity)
      return { learningRate: config.learningRate, losses: trainer.losses.toArray(), weights: trainer.weights, biases: [], stopReason: trainer.stopReason }
    })
    const doc = useDocumentStore()
    await doc.init()
    await doc.openFile({ name: 'sheet.bplab', path: null, text: serializeDocument(documentFromRuns(exp, runs)) }, true)
    expect(useSavedResultsStore().unverified).toBeNull()
    await until(() => doc.resultsVerified)
  })

  it('Save while the check on open still retrains keeps the file\'s saved results', async () => {
    const exp = defaultExperiment()
    exp.training.learningRates = [0.5, 2]
    const runs = runConfigs(exp).map((config) => {
      const trainer = new Trainer(config, { record: false })
      trainer.step(Infinity)
      return { learningRate: config.learningRate, losses: trainer.losses.toArray(), weights: trainer.weights, biases: [], stopReason: trainer.stopReason }
    })
    const file = serializeDocument(documentFromRuns(exp, runs))
    const doc = useDocumentStore()
    await doc.init()
    // Saved in the same task as the open (the file is put in place before openFile's first await):
    // the check has only begun, and no run has reached its saved epochs.
    const opening = doc.openFile({ name: 'sheet.bplab', path: null, text: file }, true)
    expect(useTrainingStore().status).toBe('running')
    const text = doc.documentText()
    expect(await opening).toBe(true)
    const results = (text: string): RunRecord[] => {
      const parsed = parseDocumentText(text)
      if (!parsed.ok) throw new Error('the document does not parse')
      return parsed.value.results
    }
    const saved = results(text)
    const expected = results(file)
    expect(saved.map((r) => r.stopReason)).toEqual(expected.map((r) => r.stopReason))
    expect(saved.map((r) => r.weights)).toEqual(expected.map((r) => r.weights))
    expect(saved.map((r) => Array.from(r.losses))).toEqual(expected.map((r) => Array.from(r.losses)))
    await until(() => doc.resultsVerified)
  })
})
