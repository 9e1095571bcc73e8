import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/cli/index'
import { runExportJob } from '../../../src/node/export/job'
import { countTrainings, sheetDocument } from '../../fixtures/count-trainings'

/** Exporters take trained runs: every path that exports trains each run exactly once (see countTrainings). */
const RATES = [0.5, 2]
const dir = mkdtempSync(join(tmpdir(), 'bplab-trains-once-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const documentText = (): string => sheetDocument(RATES)

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
