import { estimateCost, exportProblem, jobOf } from '../cost'
import { parseDocumentText } from '../document/parse'
import type { Experiment } from '../experiment'

/**
 * What every exporter (the workbook, CSV; desktop, browser and command line) reads: the document's
 * text exactly as Save writes it — format version 2 (`.bplab`), or an older version, which is
 * migrated — checked by the app's own validator, `parseDocumentText`. Saved results are not used:
 * the exporters recompute every run with the deterministic engine.
 * Throws `Cannot export: …` also when the table is beyond what an export writes (shared/cost.ts).
 * Throws `Cannot export: <field>: <problem>` for anything the app could not open.
 */
export function experimentToExport(documentText: string): Experiment {
  const parsed = parseDocumentText(documentText)
  if (!parsed.ok) throw new Error(`Cannot export: ${parsed.error}`)
  // The cost before the work: a table no export could finish is refused with its size.
  const tooBig = exportProblem(estimateCost(jobOf(parsed.value.experiment)))
  if (tooBig) throw new Error(`Cannot export: ${tooBig}`)
  return parsed.value.experiment
}
