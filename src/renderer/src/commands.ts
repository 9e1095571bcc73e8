import { lossChartPng } from './chart/png'
import type { ExportRequest, MenuCommand } from './host/host'
import { useDocumentStore } from './stores/document'
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
    case 'train':
      training.train()
      return
    case 'pause-resume':
      training.togglePause()
      return
    case 'step':
      training.step(1)
      return
    case 'step-10':
      training.step(10)
      return
    case 'stop':
      training.stop()
      return
    case 'reset':
      training.reset()
      return
  }
}
