import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { buildCsv, buildXlsx } from '../../../src/renderer/src/export/xlsx-browser'
import { defaultExperiment, runConfigs, type Experiment } from '../../../src/shared/experiment'
import { train } from '../../../src/shared/engine'

/**
 * The browser edition's writer (exceljs in memory): the workbook read back with exceljs, every
 * number of every run sheet and of Summary equal to the engine's; the chart placed on Summary.
 * (The streaming writer's tests, with LibreOffice recomputation, are in tests/node/export.)
 */
const experiment = (): Experiment => ({
  ...defaultExperiment(),
  network: { layers: [3, 4, 4, 2], activations: ['tanh', 'tanh', 'tanh'], bias: 'trained' },
  samples: [
    { inputs: [0.5, -0.2, 0.1], targets: [0.3, -0.6] },
    { inputs: [-0.4, 0.9, 0.3], targets: [-0.2, 0.5] },
  ],
  init: { seed: 7, scheme: 'xavier' },
  training: { ...defaultExperiment().training, learningRates: [0.3, 1], epochs: 40, stopBelow: 0 },
})

function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(bytes.buffer).setUint32(16, width)
  new DataView(bytes.buffer).setUint32(20, height)
  return bytes
}

const resultOf = (v: ExcelJS.CellValue): number => (typeof v === 'number' ? v : Number((v as ExcelJS.CellFormulaValue).result ?? 0))

describe('buildXlsx', () => {
  it('builds the workbook in memory: live formulas with the engine’s numbers cached, η named, chart on Summary', async () => {
    const text = JSON.stringify(experiment())
    const progress: number[] = []
    const blob = await buildXlsx(text, png(1800, 900), (f) => progress.push(f))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await blob.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'η = 0.3', 'η = 1', 'Formulas'])
    const summary = wb.getWorksheet('Summary')!
    runConfigs(experiment()).forEach((config, i) => {
      const run = train(config)
      const ws = wb.getWorksheet(`η = ${config.learningRate}`)!
      expect(ws.getRow(14).values).toEqual([undefined, ...run.layout.names]) // header below two sample rows
      let formulas = 0
      for (let e = 0; e < run.losses.length; e++)
        run.layout.names.forEach((_, c) => {
          const v = ws.getRow(15 + e).getCell(c + 1).value
          if (typeof v === 'object') formulas++
          expect(resultOf(v)).toBe(run.table!.get(e, c))
        })
      expect(formulas).toBe(40 * run.layout.names.length - run.config.weights.length - run.config.biases.length)
      for (let e = 0; e < 40; e++) expect(resultOf(summary.getRow(3 + e).getCell(2 + i).value)).toBe(run.losses[e])
    })
    expect(wb.definedNames.model).toContainEqual({ name: 'eta_2', ranges: ["'η = 1'!$B$9"] })
    const images = summary.getImages()
    expect(images).toHaveLength(1)
    expect((images[0].range as unknown as { ext: unknown }).ext).toEqual({ width: 900, height: 450 })
    expect(progress.at(-1)).toBe(1)
  })
})

describe('buildCsv', () => {
  it('gives epoch and every column for each run, the numbers exactly the engine’s', async () => {
    const text = JSON.stringify(experiment())
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await buildCsv(text)).arrayBuffer()).split('\r\n')
    expect(lines[0].startsWith('\uFEFFrun,eta,epoch,t1_s1')).toBe(true)
    const run = train(runConfigs(experiment())[1])
    const row = lines[1 + 40 + 39].split(',').map(Number) // run 2, epoch 40
    expect(row.slice(0, 3)).toEqual([2, 1, 40])
    expect(row.slice(3)).toEqual(Array.from(run.table!.row(39)))
  })
})
