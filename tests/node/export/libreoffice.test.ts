import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareExport } from '../../../src/shared/export/input'
import { exportXlsx } from '../../../src/node/export/xlsx'
import { train } from '../../../src/shared/engine'
import { runConfigs } from '../../../src/shared/experiment'
import { compareToEngine, experimentOf, headerRow, numberOf, readWorkbook, setNamedCell, type Comparison } from './compare'
import { relError } from '../../shared/reference'
import { bceLeaky, mseSoftmaxLinear, sheetExperiment, sixRates, softmaxReluMomentum, softplusMse, tanh3442, v2SeededTanh } from './experiments'
import { recalculate, recalculateByName } from './libreoffice'

/**
 * The exported formulas, recomputed by LibreOffice (forced recalculation), against the engine:
 * every formula cell of every sheet within a relative error of 1e-9. Then η and an initial weight
 * are changed in an exported workbook and LibreOffice's recomputed E_tot is compared with engine
 * runs from those values. All workbooks go through one LibreOffice start.
 */
const CASES: Record<string, () => string> = { sheetExperiment, tanh3442, sixRates, softmaxReluMomentum, bceLeaky, mseSoftmaxLinear, softplusMse, v2SeededTanh }
const TOLERANCE = 1e-9
const NEW_ETA = 1.3
const NEW_W1 = 0.3

let dir = ''
let recomputed: Record<string, string> = {}
let cleanup: () => Promise<void> = async () => {}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-lo-test-'))
  const files: string[] = []
  for (const [name, text] of Object.entries(CASES)) {
    files.push(join(dir, `${name}.xlsx`))
    await exportXlsx({ input: await prepareExport(text()), path: files.at(-1)! })
  }
  // The edited workbook: η of the first run and w1 of the second changed with exceljs.
  const edited = join(dir, 'edited.xlsx')
  const twoRates = experimentOf(sheetExperiment())
  twoRates.training.learningRates = [0.5, 2]
  await exportXlsx({ input: await prepareExport(JSON.stringify(twoRates)), path: edited })
  const wb = await readWorkbook(edited)
  setNamedCell(wb, 'eta_1', NEW_ETA)
  wb.getWorksheet('η = 2')!.getCell('E14').value = NEW_W1
  await wb.xlsx.writeFile(edited)
  files.push(edited)
  ;({ byName: recomputed, cleanup } = await recalculateByName(files))
}, 300_000)

afterAll(async () => {
  await cleanup()
  await rm(dir, { recursive: true, force: true })
})

describe('the LibreOffice helper', () => {
  it('says how to install LibreOffice when soffice is missing', async () => {
    await expect(recalculate(['x.xlsx'], { command: 'soffice-not-installed-here' })).rejects.toThrow(/not installed: apt-get install/)
  })
})

describe('LibreOffice recomputes the exported formulas', () => {
  const seen: Comparison[] = []
  const byCase: string[] = []
  for (const name of Object.keys(CASES)) {
    it(`${name}: every recomputed formula cell agrees with the engine`, async () => {
      const wb = await readWorkbook(recomputed[name])
      const cmp = compareToEngine(wb, CASES[name](), { live: true })
      seen.push(cmp)
      byCase.push(`${name} ${cmp.maxRelError.toExponential(2)}`)
      expect(cmp.formulas).toBeGreaterThan(0.95 * cmp.cells)
      expect(cmp.maxRelError, cmp.worst).toBeLessThanOrEqual(TOLERANCE)
    })
  }

  it('changing η and an initial weight recomputes the sheet and Summary as the engine trains them', async () => {
    const wb = await readWorkbook(recomputed.edited)
    const base = experimentOf(sheetExperiment())
    const [first, second] = [
      { ...runConfigs(base)[0], learningRate: NEW_ETA },
      { ...runConfigs(base)[0], learningRate: 2, weights: [NEW_W1, ...runConfigs(base)[0].weights.slice(1)] },
    ]
    for (const [config, sheet, column] of [
      [first, 'η = 0.5', 2],
      [second, 'η = 2', 3],
    ] as const) {
      const run = train(config)
      const ws = wb.getWorksheet(sheet)!
      const top = headerRow(ws, run.layout.names)
      const last = run.losses.length - 1
      const got = numberOf(ws.getRow(top + 1 + last).getCell(run.layout.lossColumn + 1).value)
      expect(got.formula).toBe(true)
      expect(relError(got.n, run.losses[last])).toBeLessThanOrEqual(TOLERANCE)
      // The old numbers are gone: the result differs from the exported run's.
      const old = train(runConfigs(base)[0]).losses[last]
      expect(relError(got.n, old)).toBeGreaterThan(1e-3)
      // Summary follows.
      expect(relError(numberOf(wb.getWorksheet('Summary')!.getRow(3 + last).getCell(column).value).n, run.losses[last])).toBeLessThanOrEqual(TOLERANCE)
    }
  })

  afterAll(() => {
    const worst = seen.reduce((a, b) => (b.maxRelError > a.maxRelError ? b : a), seen[0])
    if (worst) console.log(`by case: ${byCase.join(', ')}; largest relative error after LibreOffice recomputation: ${worst.maxRelError.toExponential(3)} (${worst.worst}); ${seen.reduce((n, c) => n + c.formulas, 0)} formula cells compared, ${seen.reduce((n, c) => n + c.nearZero, 0)} of them rounding noise of a cancellation`)
  })
})
