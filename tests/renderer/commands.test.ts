// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { runCommand } from '../../src/renderer/src/commands'
import { answerPendingRun, pendingRun } from '../../src/renderer/src/keyboard/run-guard'
import { helpOpen } from '../../src/renderer/src/keyboard/shortcuts'
import type { ExportRequest, Host } from '../../src/renderer/src/host/host'
import { useDocumentStore } from '../../src/renderer/src/stores/document'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { DOCUMENT_VERSION, parseDocumentText } from '../../src/shared/document'
import { defaultExperiment } from '../../src/shared/experiment'
import { presetCommand, presetDocument } from '../../src/shared/presets'
import { experimentToExport } from '../../src/shared/export/input'
import { installTestHost, until } from './in-process-host'

let host: Host
let exported: { kind: 'xlsx' | 'csv'; request: ExportRequest }[]
let saved: string[]
let opened: number

beforeEach(() => {
  setActivePinia(createPinia())
  setFrameScheduler((fn) => setTimeout(fn, 0))
  host = installTestHost()
  exported = []
  saved = []
  opened = 0
  host.exportXlsx = async (request) => {
    exported.push({ kind: 'xlsx', request })
    return null
  }
  host.exportCsv = async (request) => {
    exported.push({ kind: 'csv', request })
    return null
  }
  host.saveExperiment = async (text, _path, suggestedName) => {
    saved.push(text)
    return { name: suggestedName, path: null }
  }
  host.openExperiment = async () => {
    opened++
    return null
  }
})

describe('menu commands', () => {
  it('export the document as Save writes it, without the results the exporters recompute (the current format version, notes included)', async () => {
    const doc = useDocumentStore()
    const training = useTrainingStore()
    doc.setNotes('Exported with its notes.')
    training.train()
    await until(() => training.status === 'done')
    const messages: string[] = []
    runCommand('export-xlsx', (m) => messages.push(m))
    runCommand('export-csv', (m) => messages.push(m))
    runCommand('save', (m) => messages.push(m))
    await until(() => exported.length === 2 && saved.length === 1)
    expect(messages).toEqual([])
    expect(exported.map((e) => e.kind)).toEqual(['xlsx', 'csv'])
    for (const { request } of exported) {
      expect(request.suggestedName).toBe('Backpropagation sheet') // the experiment's name when exported (not saved yet)
      const parsed = parseDocumentText(request.documentText)
      if (!parsed.ok) throw new Error(parsed.error)
      expect(parsed.info.fileVersion).toBe(DOCUMENT_VERSION)
      expect(parsed.value.notes).toBe('Exported with its notes.')
      expect(parsed.value.results).toHaveLength(0)
      // The same experiment as the saved file.
      const savedDoc = parseDocumentText(saved[0])
      if (!savedDoc.ok) throw new Error(savedDoc.error)
      expect(parsed.value.experiment).toEqual(savedDoc.value.experiment)
      expect(savedDoc.value.results[0].losses).toHaveLength(70)
      // …and every exporter reads it.
      expect(experimentToExport(request.documentText)).toEqual(useExperimentStore().experiment)
    }
  })

  it('reports an experiment that cannot be exported instead of throwing', async () => {
    useExperimentStore().experiment.training.epochs = NaN
    const messages: string[] = []
    host.exportXlsx = async (request) => {
      experimentToExport(request.documentText) // what every exporter does first
      return null
    }
    runCommand('export-xlsx', (m) => messages.push(m))
    await until(() => messages.length === 1)
    expect(messages[0]).toBe('Cannot export: training.epochs: must be a number')
  })

  it('File › New from Preset: each preset command opens its preset as a new document, asking first about unsaved changes', async () => {
    const experiment = useExperimentStore()
    const doc = useDocumentStore()
    experiment.experiment.training.epochs = 3
    runCommand(presetCommand('spiral-depth'), () => undefined)
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    await until(() => experiment.experiment.data?.generator === 'spiral')
    expect(experiment.experiment).toEqual(presetDocument('spiral-depth').experiment)
    expect(experiment.experiment.test.length).toBe(200)
    expect(doc.notes).toBe(presetDocument('spiral-depth').notes)
    expect(doc.dirty).toBe(false)
    expect(experiment.trainBlockedReason).toBeNull()
    // Nothing unsaved now: the next one opens without a question.
    runCommand(presetCommand('overfitting'), () => undefined)
    await until(() => experiment.experiment.name === presetDocument('overfitting').experiment.name)
    expect(doc.prompt).toBeNull()
    expect(opened).toBe(0)
  })

  it("Help › Open the Sheet's Example opens the example, asking first about unsaved changes", async () => {
    const experiment = useExperimentStore()
    const doc = useDocumentStore()
    experiment.experiment.training.learningRates = [0.1, 2]
    expect(doc.dirty).toBe(true)
    runCommand('open-example', () => undefined)
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    await until(() => experiment.experiment.training.learningRates.length === 1)
    expect(experiment.experiment).toEqual({ ...defaultExperiment(), name: 'Backpropagation sheet' })
    expect(doc.fileName).toBeNull()
    expect(doc.dirty).toBe(false)
    expect(opened).toBe(0) // not the Open dialog
  })
})

describe('run commands and finished runs (issue 16)', () => {
  it('asks before a menu key replaces or clears finished runs; undo, redo and help are commands too', async () => {
    const training = useTrainingStore()
    const experiment = useExperimentStore()
    const messages: string[] = []
    runCommand('train', (m) => messages.push(m))
    await until(() => training.status === 'done')
    const finished = training.runs
    for (const command of ['train', 'step', 'step-10', 'pause-resume', 'reset'] as const) {
      runCommand(command, (m) => messages.push(m))
      expect(pendingRun.value?.question, command).toMatch(/finished runs/)
      answerPendingRun(false)
      expect(training.runs).toBe(finished)
      expect(training.status).toBe('done')
    }
    runCommand('reset', (m) => messages.push(m))
    answerPendingRun(true)
    expect(training.status).toBe('idle')

    experiment.experiment.training.epochs = 5
    await Promise.resolve()
    runCommand('undo', (m) => messages.push(m))
    await Promise.resolve()
    expect(experiment.experiment.training.epochs).toBe(70)
    runCommand('redo', (m) => messages.push(m))
    await Promise.resolve()
    expect(experiment.experiment.training.epochs).toBe(5)
    runCommand('help', (m) => messages.push(m))
    expect(helpOpen.value).toBe(true)
    helpOpen.value = false
    expect(messages).toEqual([])
  })
})
