import { Trainer } from '../../../src/shared/engine/trainer'
import { runConfigs } from '../../../src/shared/experiment'
import { isPartial, savedResultsProblems, type ExperimentDocument } from '../../../src/shared/document'

/**
 * Retrains a document's saved runs in this thread, as the window's workers do, and checks them with
 * the app's one check. A run saved before it ended is retrained for exactly its saved epochs.
 */
export function retrainAndCheck(doc: ExperimentDocument): string[] {
  const configs = runConfigs(doc.experiment)
  const runs = doc.results.map((saved, i) => {
    const trainer = new Trainer(configs[i], { record: false })
    trainer.step(isPartial(saved) ? saved.stopReason.epochs : Infinity)
    return trainer
  })
  return savedResultsProblems(doc.results, runs)
}
