import { lossChartPng } from './chart/png'
import type { MenuCommand } from './host/host'
import { useHost } from './host'
import { useDocumentStore } from './stores/document'
import { useExperimentStore } from './stores/experiment'
import { useTrainingStore } from './stores/training'

/**
 * What each menu command and shortcut does: file commands go to the document store, exports to
 * the host (with the chart's picture), run commands to the training store.
 */
export function runCommand(command: MenuCommand, report: (message: string) => void): void {
  const doc = useDocumentStore()
  const training = useTrainingStore()
  const host = useHost()
  const failed = (e: unknown): void => report(e instanceof Error ? e.message : String(e))
  // The exporters read the experiment (format version 1); the saved document wraps it (version 2).
  const exportRequest = () => ({
    experimentText: JSON.stringify(useExperimentStore().experiment),
    suggestedName: doc.displayName,
    chartPng: lossChartPng(),
  })
  switch (command) {
    case 'new':
      doc.newDocument().catch(failed)
      return
    case 'open':
    case 'open-example':
      doc.open().catch(failed)
      return
    case 'save':
      doc.save().catch(failed)
      return
    case 'save-as':
      doc.saveAs().catch(failed)
      return
    case 'export-xlsx':
      host.exportXlsx(exportRequest()).catch(failed)
      return
    case 'export-csv':
      host.exportCsv(exportRequest()).catch(failed)
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
