import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { documentFromRuns, serializeDocument } from '../../src/shared/document'
import { defaultExperiment } from '../../src/shared/experiment'
import { exportXlsx } from '../../src/node/export/xlsx'
import { prepareExport } from '../../src/shared/export/input'
import { checkWorkbook } from '../../src/shared/check'
import { workbookBytes } from '../shared/check/student-sheet'

const root = resolve(__dirname, '../..')
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), 'check', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })

describe('check: the spreadsheet checker on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-check-'))

  it('round trip: a workbook the app exported checks with every cell agreeing, one table per learning rate', async () => {
    const experiment = defaultExperiment()
    experiment.training.learningRates = [0.5, 2]
    const path = join(dir, 'exported.xlsx')
    await exportXlsx({ input: await prepareExport(serializeDocument(documentFromRuns(experiment, []))), path })
    const result = await checkWorkbook(readFileSync(path), 'exported.xlsx')
    expect(result.tables.map((t) => t.report.learningRate)).toEqual([0.5, 2])
    for (const { report } of result.tables) {
      expect(report).toMatchObject({ rows: 70, learningRateSource: 'named', firstMismatch: null })
      expect(report.cellsAgreeing).toBe(report.cellsChecked)
      expect(report.cellsChecked).toBe(70 * 31)
    }
    expect(result.tables[0].experiment.samples).toEqual(experiment.samples)
  })

  it('exits 0 when every table agrees and writes the JSON the issue gives', async () => {
    const file = join(dir, 'right.xlsx')
    writeFileSync(file, await workbookBytes({ eta: 0.5, epochs: 10 }))
    const json = join(dir, 'right.json')
    const r = cli(file, '--json', json)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual({
      tables: [{ sheet: 'Sheet1', headerRow: 30, learningRate: 0.5, learningRateSource: 'label', rows: 10, cellsChecked: 310, cellsAgreeing: 310, firstMismatch: null }],
    })
  })

  it('exits 2 on a mismatch and names the first one in the app’s column names', async () => {
    const file = join(dir, 'wrong.xlsx')
    writeFileSync(file, await workbookBytes({ eta: 0.5, epochs: 10, slip: (name, row) => (name === 'E1' ? (row.t1 - row.out_o1) ** 2 : undefined) }))
    const json = join(dir, 'wrong.json')
    const r = cli(file, '--json', json)
    expect(r.status).toBe(2)
    expect(r.stdout).toContain('first mismatch: Sheet1!U31 (E1, epoch 1)')
    const m = JSON.parse(readFileSync(json, 'utf8')).tables[0].firstMismatch
    expect(Object.keys(m)).toEqual(['cell', 'column', 'epoch', 'expected', 'found', 'formula', 'likelyMistake'])
    expect(m).toMatchObject({ cell: 'U31', column: 'E1', epoch: 1, formula: '=1/2*(A31-R31)^2', likelyMistake: expect.stringContaining('missing ½') })
  })

  it('exits 1 with one line for a file it cannot read or that holds no table', () => {
    const junk = join(dir, 'junk.xlsx')
    writeFileSync(junk, 'this is not a workbook')
    for (const args of [[junk], [join(dir, 'missing.xlsx')], [], [junk, '--json']]) {
      const r = cli(...args)
      expect(r.status, args.join(' ')).toBe(1)
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/)
      expect(r.stdout).toBe('')
    }
  })
})
