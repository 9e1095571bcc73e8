import { lossChartPng } from './chart/png'
import type { ExportRequest, MenuCommand } from './host/host'
import { guardedRun } from './keyboard/run-guard'
import type { PresetId } from '@shared/presets'
import { helpOpen } from './keyboard/shortcuts'
import { useDocumentStore } from './stores/document'
import { useSpreadsheetCheckStore } from './stores/spreadsheet-check'
import { useExperimentStore } from './stores/experiment'
import { useExportStore } from './stores/export'
import { useTrainingStore } from './stores/training'

/**
 * What each menu command and shortcut does: file commands go to the document store, exports to
 * the export store (with the chart's picture; it shows progress and Cancel), run commands to the training store.
 */
export function runCommand(command: MenuCommand, report: (message: string) => void): void {
  const doc = useDocumentStore()
  const training = useTrainingStore()
  const exports = useExportStore()
  const failed = (e: unknown): void => report(e instanceof Error ? e.message : String(e))
  // The exporters read a document's text (format version 2) and train every run once.
  const exportRequest = (): ExportRequest => ({
    documentText: doc.exportText(),
    suggestedName: doc.displayName,
    chartPng: lossChartPng(),
  })
  const exportWith = (write: (request: ExportRequest) => Promise<unknown>): void => {
    try {
      write(exportRequest()).catch(failed)
    } catch (e) {
      failed(e) // the document could not be written out
    }
  }
  switch (command) {
    case 'new':
      doc.newDocument().catch(failed)
      return
    case 'open':
      doc.open().catch(failed)
      return
    case 'open-example':
      doc.openExample().catch(failed)
      return
    case 'save':
      doc.save().catch(failed)
      return
    case 'save-as':
      doc.saveAs().catch(failed)
      return
    case 'export-xlsx':
      exportWith((request) => exports.run('xlsx', request))
      return
    case 'export-csv':
      exportWith((request) => exports.run('csv', request))
      return
    case 'check-spreadsheet':
      void useSpreadsheetCheckStore().pickAndCheck()
      return
    // A run key never replaces finished runs without asking (guardedRun).
    case 'train':
      guardedRun('Train again? This replaces the finished runs.', () => training.train())
      return
    case 'pause-resume':
      guardedRun('Train again? This replaces the finished runs.', () => training.togglePause())
      return
    case 'step':
      guardedRun('Step one epoch from the start? This replaces the finished runs.', () => training.step(1))
      return
    case 'step-10':
      guardedRun('Step ten epochs from the start? This replaces the finished runs.', () => training.step(10))
      return
    // The notes are free text with the text field's own undo; everything else is the experiment's.
    case 'undo':
    case 'redo':
      if (training.status === 'running') return // the experiment is locked while it trains
      if (typeof HTMLTextAreaElement !== 'undefined' && document.activeElement instanceof HTMLTextAreaElement) document.execCommand(command)
      else useExperimentStore()[command]()
      return
    case 'help':
      helpOpen.value = true
      return
    case 'stop':
      training.stop()
      return
    case 'reset':
      guardedRun('Clear the finished runs?', () => training.reset())
      return
    default:
      doc.openPreset(presetOf(command)).catch(failed)
  }
}

/** The preset a `preset:<id>` command opens (the only commands the switch above leaves). */
const presetOf = (command: `preset:${PresetId}`): PresetId => command.slice('preset:'.length) as PresetId
