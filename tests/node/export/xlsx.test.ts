import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareExport } from '../../../src/shared/export/input'
import { exportXlsx } from '../../../src/node/export/xlsx'
import { columnLayout, train } from '../../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { NUMBER_FORMAT } from '../../../src/shared/xlsx/styles'
import { modelOf } from '../../../src/shared/derivation'
import { columnFormula } from '../../../src/shared/column-formula'
import { compareRuns, compareToEngine, experimentOf, numberOf, readWorkbook } from './compare'
import { optimizerOf, type RunConfig, type Sample } from '../../../src/shared/engine/types'
import { sheetExperiment, sixRates, tanh3442 } from './experiments'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-xlsx-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The start of a PNG of the given size: signature and IHDR, all the exporter reads. */
function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(bytes.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  bytes.set([8, 6, 0, 0, 0], 24)
  return bytes
}

describe('exportXlsx (streaming writer), read back with exceljs', () => {
  it('writes a mini-batch run as values, the header saying so, every number the engine’s', async () => {
    const sample = (x: number, y: number): Sample => ({ inputs: [x, y], targets: [x * y > 0 ? 1 : 0] })
    const config: RunConfig = {
      ...runConfigs(defaultExperiment())[0],
      network: { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' },
      weights: [0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.6, -0.5, 0.3],
      biases: [0.1, -0.1, 0.05, 0],
      samples: [sample(0.5, 0.4), sample(-0.3, 0.8), sample(-0.6, -0.2), sample(0.7, -0.9), sample(0.1, 0.2)],
      test: [sample(0.2, 0.3)],
      batchSize: 2,
      shuffleSeed: 7,
      optimizer: optimizerOf('rmsprop'),
      epochs: 15,
    }
    const run = train(config)
    const path = join(dir, 'batches.xlsx')
    await exportXlsx({ input: { experiment: defaultExperiment(), runs: [run] }, path })
    const wb = await readWorkbook(path)
    const ws = wb.getWorksheet('η = 0.5')!
    expect(ws.getCell('B7').value).toBe('values only: mini-batches of 2 (each epoch\'s updates use shuffled batches, which a row of the sheet does not hold)')
    expect(ws.getCell('B8').value).toBe('RMSprop')
    // Every cell a value (compareRuns throws on a formula), equal to the engine's.
    expect(compareRuns(wb, [run], { live: false }).maxRelError).toBe(0)
  })

  it('writes the sheet experiment laid out like the original, every cached value equal to the engine', async () => {
    const path = join(dir, 'sheet.xlsx')
    const progress: number[] = []
    await exportXlsx({ input: await prepareExport(sheetExperiment()), path, chartPng: png(1200, 600), onProgress: (f) => progress.push(f) })
    const wb = await readWorkbook(path)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'η = 0.5', 'Formulas'])
    const cmp = compareToEngine(wb, sheetExperiment(), { live: true })
    expect(cmp.maxRelError).toBe(0) // cached results are the engine's own numbers, written in full
    expect(cmp.cells).toBe(70 * 31 + 70)
    expect(cmp.formulas).toBe(70 * 31 - 8 + 70)

    const ws = wb.getWorksheet('η = 0.5')!
    // The original's layout: header in row 13, data from row 14, the same columns in the same places.
    expect(ws.getCell('A13').value).toBe('t1')
    expect(ws.getCell('W13').value).toBe('E_tot')
    expect(ws.getCell('AE13').value).toBe('∂E/∂w8')
    expect(ws.getCell('I14').value).toMatchObject({ formula: 'C14*E14+D14*F14' })
    expect(ws.getCell('E15').value).toMatchObject({ formula: 'E14-eta_1*X14' })
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 13 })
    expect(ws.getCell('W20').numFmt).toBe(NUMBER_FORMAT)
    expect(ws.getCell('W20').font?.bold).toBe(true)
    expect(ws.getCell('W20').fill).toMatchObject({ type: 'pattern' })
    expect(ws.getColumn(24).width).toBeGreaterThanOrEqual(13)
    // η is a named cell.
    expect(wb.definedNames.model).toContainEqual({ name: 'eta_1', ranges: ["'η = 0.5'!$B$9"] })
    // Parameters block.
    expect(ws.getCell('B2').value).toBe('2-2-2')
    expect(ws.getCell('B3').value).toBe('sigmoid, sigmoid')
    expect(String(ws.getCell('B4').value)).toContain('half-sse')
    expect(ws.getCell('B5').value).toBe('none')
    expect([ws.getCell('B11').value, ws.getCell('C11').value, ws.getCell('D11').value, ws.getCell('E11').value]).toEqual([0.05, 0.1, 0.01, 0.99])

    // The chart on Summary, scaled to 900 px wide.
    const images = wb.getWorksheet('Summary')!.getImages()
    expect(images).toHaveLength(1)
    expect(images[0].range.tl.nativeCol).toBe(3)
    expect((wb.getImage(Number(images[0].imageId)).buffer as unknown as Uint8Array).length).toBe(33)

    // Formulas sheet: one line per column, in words (the window's column tooltips, columnFormula), and its Excel formula.
    const layout = columnLayout(defaultExperiment().network, 1)
    const words = new Map<string, string>()
    const excel = new Map<string, string>()
    wb.getWorksheet('Formulas')!.eachRow((row) => {
      const name = String(row.getCell(2).value)
      if (!layout.names.includes(name)) return
      words.set(name, String(row.getCell(4).value))
      excel.set(name, String(row.getCell(5).value))
    })
    expect(words.get('h1')).toBe('h1 = w1·i1 + w2·i2')
    expect(words.get('out_h1')).toBe('out_h1 = 1/(1 + e^(−h1))')
    expect(words.get('E1')).toBe('E1 = ½(t1 − out_o1)²')
    expect(words.get('w1')).toBe('w1: weight i1 → h1; next epoch w1 − η · ∂E/∂w1')
    expect(excel.get('h1')).toBe('=C15*E15+D15*F15')
    expect(excel.get('w1')).toBe('=E14-eta_1*X14')
    expect([...words.keys()]).toEqual(layout.names) // all 31 columns, in order
    const model = modelOf(runConfigs(defaultExperiment())[0])
    for (const [name, text] of words) expect(text).toBe(columnFormula(layout, name, model))

    expect(progress.at(-1)).toBe(1)
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true)
  })

  it('writes a 3-4-4-2 tanh net with trained biases and two samples', async () => {
    const path = join(dir, 'tanh.xlsx')
    await exportXlsx({ input: await prepareExport(tanh3442()), path })
    const wb = await readWorkbook(path)
    const cmp = compareToEngine(wb, tanh3442(), { live: true })
    expect(cmp.maxRelError).toBe(0)
    const layout = columnLayout(experimentOf(tanh3442()).network, 2)
    expect(cmp.cells).toBe(60 * layout.names.length + 60)
    // Two samples: the header sits lower, below the two sample rows.
    const ws = wb.getWorksheet('η = 0.3')!
    expect(ws.getCell('A14').value).toBe('t1_s1')
    expect([ws.getCell('A11').value, ws.getCell('A12').value]).toEqual(['s1', 's2'])
  })

  it('writes six learning rates side by side on Summary', async () => {
    const path = join(dir, 'six.xlsx')
    await exportXlsx({ input: await prepareExport(sixRates()), path })
    const wb = await readWorkbook(path)
    expect(wb.worksheets).toHaveLength(8)
    const cmp = compareToEngine(wb, sixRates(), { live: true })
    expect(cmp.maxRelError).toBe(0)
    expect(cmp.cells).toBe(6 * (70 * 31 + 70))
    const summary = wb.getWorksheet('Summary')!
    expect([2, 3, 4, 5, 6, 7].map((c) => numberOf(summary.getRow(2).getCell(c).value).n)).toEqual([0.1, 0.2, 0.5, 0.8, 1, 2])
    expect(summary.getCell('A72').value).toBe(70)
  })

  it('writes values only when asked, or when a run is longer than the live-formula limit', async () => {
    const path = join(dir, 'values.xlsx')
    await exportXlsx({ input: await prepareExport(sixRates()), path, workbook: { mode: 'values' } })
    const cmp = compareToEngine(await readWorkbook(path), sixRates(), { live: false })
    expect(cmp.maxRelError).toBe(0)
    expect(cmp.formulas).toBe(0)

    await exportXlsx({ input: await prepareExport(sheetExperiment()), path, workbook: { liveMaxEpochs: 69 } })
    const wb = await readWorkbook(path)
    expect(compareToEngine(wb, sheetExperiment(), { live: false }).maxRelError).toBe(0)
    expect(String(wb.getWorksheet('η = 0.5')!.getCell('B7').value)).toContain('values only')
  })

  it('splits a run longer than a sheet across sheets (limit lowered for the test), values only', async () => {
    const exp = defaultExperiment()
    exp.training.epochs = 100
    const text = JSON.stringify(exp)
    const path = join(dir, 'split.xlsx')
    await exportXlsx({ input: await prepareExport(text), path, workbook: { maxRows: 40 } })
    const wb = await readWorkbook(path)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'η = 0.5 part 1', 'η = 0.5 part 2', 'η = 0.5 part 3', 'η = 0.5 part 4', 'Formulas'])
    const run = train(runConfigs(exp)[0])
    let e = 0
    for (const ws of wb.worksheets.slice(1, 5)) {
      expect(ws.getCell('A13').value).toBe('t1')
      for (let r = 14; r <= 40 && e < 100; r++, e++) {
        run.layout.names.forEach((_, c) => expect(ws.getRow(r).getCell(c + 1).value).toBe(run.table!.get(e, c)))
      }
      expect(ws.rowCount).toBeLessThanOrEqual(40)
    }
    expect(e).toBe(100)
    // Summary fits in 40 rows too: every 3rd epoch.
    const summary = wb.getWorksheet('Summary')!
    expect(summary.getCell('A4').value).toBe(4)
    expect(summary.getCell('B4').value).toBe(run.losses[3])
    expect(summary.rowCount).toBeLessThanOrEqual(40)
  })

  it('cancels: rejects with AbortError, leaves no partial file and keeps an existing file', async () => {
    const exp = defaultExperiment()
    exp.training.epochs = 300_000
    const path = join(dir, 'cancel.xlsx')
    await writeFile(path, 'previous export')
    const controller = new AbortController()
    const done = exportXlsx({ input: await prepareExport(JSON.stringify(exp)), path, signal: controller.signal, onProgress: () => controller.abort() })
    await expect(done).rejects.toMatchObject({ name: 'AbortError' })
    expect(await readFile(path, 'utf8')).toBe('previous export')
    expect((await readdir(dir)).filter((f) => f.includes('partial') || f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses an invalid experiment with its message', async () => {
    const path = join(dir, 'bad.xlsx')
    await expect(prepareExport('{"format":"nope"}')).rejects.toThrow(/Cannot export: format/)
    await expect(stat(path)).rejects.toThrow()
    await expect(exportXlsx({ input: await prepareExport(sheetExperiment()), path: join(dir, 'missing', 'x.xlsx') })).rejects.toThrow(/Could not save "x\.xlsx": .*the folder does not exist/)
  })
})
