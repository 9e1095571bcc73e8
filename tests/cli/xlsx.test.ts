import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index'
import { train } from '../../src/shared/engine'
import { parseDocumentText } from '../../src/shared/document'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { compareToEngine, readWorkbook } from '../node/export/compare'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-cli-xlsx-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('train --xlsx writes the workbook of every learning rate', async () => {
  const path = join(dir, 'out.xlsx')
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const code = await main(['train', '--lr', '0.5,2', '--epochs', '12', '--xlsx', path])
  stdout.mockRestore()
  expect(code).toBe(0)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'η = 0.5', 'η = 2', 'Formulas'])
  const exp = defaultExperiment()
  exp.training.learningRates = [2]
  exp.training.epochs = 12
  const run = train(runConfigs(exp)[0])
  expect((wb.getWorksheet('η = 2')!.getCell('W25').value as ExcelJS.CellFormulaValue).result).toBe(run.losses[11])
})

it('train <saved .bplab> --xlsx exports the document as the app does, with --lr applied', async () => {
  const file = join(__dirname, '../fixtures/v2-seeded-tanh.bplab')
  const path = join(dir, 'saved.xlsx')
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const code = await main(['train', file, '--lr', '0.2', '--xlsx', path])
  stdout.mockRestore()
  stderr.mockRestore()
  expect(code).toBe(0)
  const wb = await readWorkbook(path)
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'η = 0.2', 'Formulas'])
  const parsed = parseDocumentText(readFileSync(file, 'utf8'))
  if (!parsed.ok) throw new Error(parsed.error)
  const experiment = parsed.value.experiment
  experiment.training.learningRates = [0.2]
  const cmp = compareToEngine(wb, JSON.stringify(experiment), { live: true })
  expect(cmp.maxRelError, cmp.worst).toBe(0)
  expect(cmp.cells).toBeGreaterThan(0)
})
