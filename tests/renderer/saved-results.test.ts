// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { estimateCost, fitsOpenBudget, jobOf } from '../../src/shared/cost'
import { documentFromRuns, serializeDocument } from '../../src/shared/document'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs, type Experiment } from '../../src/shared/experiment'
import FileNotice from '../../src/renderer/src/components/document/FileNotice.vue'
import { useDocumentStore } from '../../src/renderer/src/stores/document'
import { useSavedResultsStore } from '../../src/renderer/src/stores/saved-results'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { installTestHost, until } from './in-process-host'

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
    // Stopped at different epochs: Verify retrains every run in full (10 million epochs each).
    const { text } = longFile([100, 300])
    const doc = useDocumentStore()
    await doc.init()
    await doc.openFile({ name: 'long.bplab', path: null, text }, true)
    const training = useTrainingStore()
    const saved = useSavedResultsStore()
    const wrapper = mount(FileNotice)
    saved.verify()
    expect(training.status).toBe('running')
    await until(() => training.runs.some((r) => r.epochs > 0))
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-notice="unverified"]').text()).toMatch(/^Verifying the saved results… \d+ %/)
    await wrapper.get('[data-testid="verify-cancel"]').trigger('click')
    await until(() => !saved.verifying)
    expect(saved.unverified).not.toBeNull()
    expect(doc.resultsVerified).toBe(false)
    expect(training.status).toBe('done')
    expect(training.runs.map((r) => r.epochs)).toEqual([100, 300])
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
})
