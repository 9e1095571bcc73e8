import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { buildCsv, buildXlsx } from '../../../src/renderer/src/export/xlsx-browser'
import { modelOf } from '../../../src/shared/derivation'
import { columnFormula } from '../../../src/shared/column-formula'
import { parseDocumentText, type ExperimentDocument } from '../../../src/shared/document'
import { train } from '../../../src/shared/engine'
import { runConfigs } from '../../../src/shared/experiment'
import { csvChunks } from '../../../src/shared/export/csv'
import { prepareExport } from '../../../src/shared/export/input'
import { fixture } from '../../fixtures/read'

/**
 * The browser edition's writers read the document exactly as Save writes it (format version 2:
 * results, notes, hash and unknown fields included). The workbook is read back with exceljs and
 * every number compared with the engine and with the results saved in the file.
 * (The desktop app's and the CLI's writer: tests/node/export/saved-document.test.ts.)
 */

function savedDocument(text: string): ExperimentDocument {
  const parsed = parseDocumentText(text)
  if (!parsed.ok) throw new Error(parsed.error)
  expect(parsed.info).toMatchObject({ fileVersion: 2, hash: 'ok' }) // a real, untouched saved file
  return parsed.value
}

const resultOf = (v: ExcelJS.CellValue): { n: number; formula: boolean } =>
  typeof v === 'number' ? { n: v, formula: false } : { n: Number((v as ExcelJS.CellFormulaValue).result ?? 0), formula: true }

describe('the browser edition exports a saved document (format version 2)', () => {
  for (const name of ['v2-sheet.bplab', 'v2-seeded-tanh.bplab']) {
    it(`${name}: the workbook, every cell the engine's, Summary the saved E_tot`, async () => {
      const text = fixture(name)
      const doc = savedDocument(text)
      const configs = runConfigs(doc.experiment)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(await (await buildXlsx(text)).arrayBuffer())
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', ...configs.map((c) => `η = ${c.learningRate}`), 'Formulas'])
      const summary = wb.getWorksheet('Summary')!
      configs.forEach((config, i) => {
        const run = train(config)
        const ws = wb.getWorksheet(`η = ${config.learningRate}`)!
        // The header: row 13 as in the original sheet, lower with several samples.
        const header = Math.max(13, 12 + config.samples.length)
        expect(ws.getRow(header).values).toEqual([undefined, ...run.layout.names])
        let formulas = 0
        for (let e = 0; e < run.losses.length; e++)
          run.layout.names.forEach((_, c) => {
            const got = resultOf(ws.getRow(header + 1 + e).getCell(c + 1).value)
            if (got.formula) formulas++
            expect(got.n).toBe(run.table!.get(e, c))
          })
        expect(ws.getRow(header + 1 + run.losses.length).getCell(1).value).toBeNull()
        // Every cell a formula but the first row's parameters and optimizer state (momentum's v_ columns).
        const state = run.layout.columns.filter((c) => c.kind === 'state').length
        expect(formulas).toBe(run.losses.length * run.layout.names.length - config.weights.length - config.biases.length - state)
        // Summary: the E_tot series saved in the file, epoch for epoch.
        const saved = doc.results[i].losses
        expect(saved).toHaveLength(run.losses.length)
        saved.forEach((loss, e) => expect(resultOf(summary.getRow(3 + e).getCell(2 + i).value).n).toBe(loss))
      })
      // Formulas: every column in words, as the window's tooltips say it for this model.
      const layout = train({ ...configs[0], epochs: 1 }).layout
      const words: string[] = []
      wb.getWorksheet('Formulas')!.eachRow((row) => {
        if (layout.names.includes(String(row.getCell(2).value))) words.push(String(row.getCell(4).value))
      })
      expect(words).toEqual(layout.names.map((_, c) => columnFormula(layout, c, modelOf(configs[0]))))
    })

    it(`${name}: the CSV, every number the engine's`, async () => {
      const text = fixture(name)
      const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await buildCsv(text)).arrayBuffer())
      expect(csv).toBe([...csvChunks((await prepareExport(text)).runs)].join(''))
      const configs = runConfigs(savedDocument(text).experiment)
      const lines = csv.slice(1).split('\r\n').filter(Boolean)
      let line = 1
      for (const config of configs) {
        const run = train(config)
        for (let e = 0; e < run.losses.length; e++, line++)
          expect(
            lines[line]
              .split(',')
              .map(Number)
              .slice(configs.length > 1 ? 3 : 1)
          ).toEqual(Array.from(run.table!.row(e)))
      }
      expect(lines).toHaveLength(line)
    })
  }

  it('refuses what the app would not open, with the validator’s message', async () => {
    const newer = fixture('v3-sheet.bplab').replace('"version": 3', '"version": 4')
    const message = /^Cannot export: version: this file was written in format version 4 by a newer Backprop Lab/
    await expect(buildXlsx(newer)).rejects.toThrow(message)
    await expect(buildCsv(newer)).rejects.toThrow(message)
  })
})
