/**
 * Opens a file the way the desktop app does, every step of it: the main process's file service
 * (regular file, byte limit, read, validate), the window's own parse of the text it receives, and
 * the cost estimate that decides whether its saved runs are retrained on open and how Train would
 * record them. Run as a script it opens the files named and prints one JSON line per file with its
 * outcome, time and the process's peak memory so far.
 *
 *   node --import tsx tests/hostile/open-like-the-app.ts <folder> <file>...
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readExperimentFile } from '../../src/node/files/experiment-files'
import { estimateCost, fitsOpenBudget, jobOf, recordPlan } from '../../src/shared/cost'
import { parseDocumentText } from '../../src/shared/document'

export type Opened =
  | { ok: true; onOpen: 'nothing to retrain' | 'retrain and check' | 'not yet verified'; train: string }
  | { ok: false; error: string }

export async function openLikeTheApp(path: string): Promise<Opened> {
  let text: string
  try {
    text = (await readExperimentFile(path)).text
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
  const parsed = parseDocumentText(text)
  if (!parsed.ok) return { ok: false, error: `the window refused what main accepted: ${parsed.error}` }
  const doc = parsed.value
  const cost = estimateCost(jobOf(doc.experiment))
  const onOpen = doc.results.length === 0 ? 'nothing to retrain' : fitsOpenBudget(cost) ? 'retrain and check' : 'not yet verified'
  const plan = recordPlan(cost)
  const train = !plan.ok ? `refused: ${plan.error}` : plan.record ? 'records every column' : 'records E_tot only'
  return { ok: true, onOpen, train }
}

export interface Measured {
  name: string
  result: Opened
  ms: number
  /** Peak resident memory of the process so far, MB. */
  peakMB: number
  /** V8 heap in use right after, MB. */
  heapMB: number
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const [dir, ...names] = process.argv.slice(2)
  for (const name of names) {
    const t0 = performance.now()
    const result = await openLikeTheApp(join(dir, name))
    const ms = performance.now() - t0
    const line: Measured = { name, result, ms, peakMB: process.resourceUsage().maxRSS / 1024, heapMB: process.memoryUsage().heapUsed / 2 ** 20 }
    process.stdout.write(JSON.stringify(line) + '\n')
  }
}
