/**
 * Atomic save benchmark (a measurement, not a test): the time of each step of saving a small
 * document (the sheet) and a large one (6 learning rates × 100,000 epochs, results included),
 * median of 5 saves into a temporary folder.
 *
 *   npm run bench:save            (EPOCHS=20000 for a shorter run)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { saveExperimentFile } from '../src/main/services'
import { documentFromRuns, serializeDocument } from '../src/shared/document'
import { train } from '../src/shared/engine'
import { defaultExperiment, runConfigs } from '../src/shared/experiment'
import { median } from './rounds'

const EPOCHS = Number(process.env.EPOCHS ?? 100_000)

const small = readFileSync(fileURLToPath(new URL('../tests/fixtures/v2-sheet.bplab', import.meta.url)), 'utf8')
const big = defaultExperiment()
big.training.learningRates = [0.1, 0.2, 0.5, 1, 2, 3]
big.training.epochs = EPOCHS
const runs = runConfigs(big).map((c) => ({ ...train(c, { record: false }), learningRate: c.learningRate }))
const large = serializeDocument(documentFromRuns(big, runs))

const dir = mkdtempSync(join(tmpdir(), 'bplab-save-bench-'))
try {
  const target = join(dir, 'experiment.bplab')
  for (const [label, text] of [
    [`small (${(small.length / 1024).toFixed(1)} KB, the sheet)`, small],
    [`large (${(large.length / 1e6).toFixed(1)} MB: 6 rates × ${EPOCHS.toLocaleString('en')} epochs)`, large],
  ] as const) {
    const steps: Record<string, number[]> = {}
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const { timings: t } = await saveExperimentFile(target, text)
      ;(steps['validate'] ??= []).push(performance.now() - t0 - t.total)
      for (const [k, v] of Object.entries(t)) (steps[k] ??= []).push(v!)
    }
    console.log(
      `atomic save ${label}, median of 5: ` +
        Object.entries(steps)
          .map(([k, v]) => `${k} ${median(v).toFixed(1)} ms`)
          .join(', ')
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
