import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportCsv } from '../../../src/node/export/csv'
import { exportXlsx } from '../../../src/node/export/xlsx'
import { modelOf } from '../../../src/shared/derivation'
import { columnFormula } from '../../../src/shared/column-formula'
import { parseDocumentText, type ExperimentDocument } from '../../../src/shared/document'
import { train } from '../../../src/shared/engine'
import { runConfigs } from '../../../src/shared/experiment'
import { csvChunks } from '../../../src/shared/export/csv'
import { experimentToExport, prepareExport } from '../../../src/shared/export/input'
import { compareToEngine, numberOf, readWorkbook } from './compare'
import { fixture } from '../../fixtures/read'

/**
 * The desktop app's and the CLI's writers read the document exactly as Save writes it (format
 * version 2: results, notes, hash and unknown fields included), and a version-1 file as the app
 * opens it. The workbooks are read back and compared, cell by cell, with the engine and with the
 * results saved in the file. (The browser's writer: tests/renderer/export/saved-document.test.ts.)
 */
const FIXTURES = ['v2-sheet.bplab', 'v2-seeded-tanh.bplab'] as const

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-saved-doc-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function savedDocument(text: string): ExperimentDocument {
  const parsed = parseDocumentText(text)
  if (!parsed.ok) throw new Error(parsed.error)
  expect(parsed.info.hash).toBe('ok') // a real, untouched saved file (version 2 or 3)
  return parsed.value
}

/** The workbook checked against the engine and against the document's own saved results. */
function checkWorkbook(wb: Awaited<ReturnType<typeof readWorkbook>>, text: string): void {
  const doc = savedDocument(text)
  const configs = runConfigs(doc.experiment)
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', ...configs.map((c) => `η = ${c.learningRate}`), 'Formulas'])
  const cmp = compareToEngine(wb, text, { live: true })
  expect(cmp.maxRelError, cmp.worst).toBe(0)
  expect(cmp.formulas).toBeGreaterThan(0)
  // Summary holds the E_tot series saved in the file, epoch for epoch, and no more.
  const summary = wb.getWorksheet('Summary')!
  doc.results.forEach((run, i) => {
    expect(run.losses.length).toBeGreaterThan(0)
    run.losses.forEach((loss, e) => expect(numberOf(summary.getRow(3 + e).getCell(2 + i).value).n).toBe(loss))
    expect(summary.getRow(3 + run.losses.length).getCell(2 + i).value).toBeNull()
  })
  // Formulas: every column in words, as the window's tooltips say it for this model (momentum included).
  const layout = train({ ...configs[0], epochs: 1 }).layout
  const model = modelOf(configs[0])
  const words: string[] = []
  wb.getWorksheet('Formulas')!.eachRow((row) => {
    if (layout.names.includes(String(row.getCell(2).value))) words.push(String(row.getCell(4).value))
  })
  expect(words).toEqual(layout.names.map((_, c) => columnFormula(layout, c, model)))
}

describe('exports of a saved document (format versions 2 and 3)', () => {
  for (const name of FIXTURES) {
    it(`${name}: the streaming writer (desktop app, CLI) exports it`, async () => {
      const text = fixture(name)
      const path = join(dir, name.replace('.bplab', '.xlsx'))
      await exportXlsx({ input: await prepareExport(text), path })
      checkWorkbook(await readWorkbook(path), text)
    })

    it(`${name}: the CSV writer exports it, every number the engine's`, async () => {
      const text = fixture(name)
      const path = join(dir, name.replace('.bplab', '.csv'))
      await exportCsv({ runs: (await prepareExport(text)).runs, path })
      const fromNode = await readFile(path)
      expect(fromNode.toString('utf8')).toBe([...csvChunks((await prepareExport(text)).runs)].join('')) // the browser writes these chunks too
      const doc = savedDocument(text)
      const configs = runConfigs(doc.experiment)
      const lines = fromNode.toString('utf8').slice(1).split('\r\n').filter(Boolean)
      const several = configs.length > 1
      let line = 1
      configs.forEach((config) => {
        const run = train(config)
        for (let e = 0; e < run.losses.length; e++, line++) {
          const cells = lines[line].split(',').map(Number)
          expect(cells.slice(several ? 3 : 1)).toEqual(Array.from(run.table!.row(e)))
        }
      })
      expect(lines).toHaveLength(line)
      expect(lines.length - 1).toBe(doc.results.reduce((n, r) => n + r.losses.length, 0))
    })
  }

  it('reads a version-1 file as the app opens it (migrated)', async () => {
    const v1 = fixture('v1-sheet.json')
    expect(experimentToExport(v1)).toEqual(experimentToExport(fixture('v2-sheet.bplab')))
    const path = join(dir, 'v1.xlsx')
    await exportXlsx({ input: await prepareExport(v1), path })
    expect(compareToEngine(await readWorkbook(path), v1, { live: true }).maxRelError).toBe(0)
  })

  it('refuses what the app would not open, with the validator’s message, in every writer', async () => {
    const newer = fixture('v3-sheet.bplab').replace('"version": 3', '"version": 4')
    const message = /^Cannot export: version: this file was written in format version 4 by a newer Backprop Lab/
    expect(() => experimentToExport(newer)).toThrow(message)
    await expect(prepareExport(newer)).rejects.toThrow(message)
    // Saved results that do not fit the configuration are refused as on opening.
    const wrong = fixture('v2-sheet.bplab').replace('"learningRate": 0.5', '"learningRate": 0.7')
    expect(() => experimentToExport(wrong)).toThrow(/^Cannot export: results\[0\]\.learningRate/)
  })
})
