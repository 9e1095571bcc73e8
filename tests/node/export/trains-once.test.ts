import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/cli/index'
import { runExportJob } from '../../../src/node/export/job'
import { Trainer } from '../../../src/shared/engine/trainer'
import { documentFromRuns, serializeDocument } from '../../../src/shared/document'
import { defaultExperiment } from '../../../src/shared/experiment'

/**
 * Exporters take trained runs: every path that exports trains each run exactly once. A spy on the
 * real trainer's `step` (it calls through) records the Trainer each call ran on; whatever trains —
 * `train()`, a chunked export loop — steps a Trainer, so the number of distinct Trainers stepped
 * is the number of trainings.
 */
const RATES = [0.5, 2]
const dir = mkdtempSync(join(tmpdir(), 'bplab-trains-once-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function documentText(): string {
  const e = defaultExperiment()
  e.training.learningRates = RATES
  return serializeDocument(documentFromRuns(e, []))
}

function countTrainings(): () => number {
  const spy = vi.spyOn(Trainer.prototype, 'step')
  return () => new Set(spy.mock.contexts).size
}
afterEach(() => vi.restoreAllMocks())

describe('each run is trained once', () => {
  it('by the CLI, however many files it writes (--json --csv --xlsx)', async () => {
    const file = join(dir, 'exp.bplab')
    writeFileSync(file, documentText())
    const trainings = countTrainings()
    const out = (ext: string): string => join(dir, `cli.${ext}`)
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const code = await main(['train', file, '--json', out('json'), '--csv', out('csv'), '--xlsx', out('xlsx')])
    expect(code).toBe(0)
    for (const ext of ['json', 'csv', 'xlsx']) expect(statSync(out(ext)).size).toBeGreaterThan(1000)
    expect(readFileSync(out('csv'), 'utf8').trim().split('\r\n')).toHaveLength(1 + 70 * RATES.length)
    expect(trainings()).toBe(RATES.length)
  })

  it('by the desktop app’s export job (what its export worker runs), xlsx and CSV', async () => {
    for (const kind of ['xlsx', 'csv'] as const) {
      const trainings = countTrainings()
      const path = join(dir, `job.${kind}`)
      await runExportJob({ kind, documentText: documentText(), path })
      expect(statSync(path).size).toBeGreaterThan(1000)
      expect(trainings()).toBe(RATES.length)
      vi.restoreAllMocks()
    }
  })
})
