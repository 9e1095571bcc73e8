import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareExport } from '../../../src/shared/export/input'
import { exportCsv } from '../../../src/node/export/csv'
import { train } from '../../../src/shared/engine'
import { runConfigs } from '../../../src/shared/experiment'
import { optimizerOf, type RunConfig, type Sample } from '../../../src/shared/engine/types'
import { experimentOf } from './compare'
import { sheetExperiment, sixRates, tanh3442 } from './experiments'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-csv-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function parse(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true)
  return text
    .slice(1)
    .split('\r\n')
    .filter((l) => l)
    .map((l) => l.split(','))
}

describe('exportCsv', () => {
  it('writes epoch and every column, every number exactly the engine’s', async () => {
    for (const documentText of [sheetExperiment(), tanh3442()]) {
      const path = join(dir, 'one.csv')
      await exportCsv({ runs: (await prepareExport(documentText)).runs, path })
      const rows = parse(await readFile(path, 'utf8'))
      const run = train(runConfigs(experimentOf(documentText))[0])
      expect(rows[0]).toEqual(['epoch', ...run.layout.names])
      expect(rows).toHaveLength(1 + run.table!.rowCount)
      rows.slice(1).forEach((row, e) => {
        expect(Number(row[0])).toBe(e + 1)
        run.layout.names.forEach((_, c) => expect(Number(row[c + 1])).toBe(run.table!.get(e, c)))
      })
    }
  })

  it('carries the issue-15 columns — penalty, E_test, acc_train, acc_test, the optimizer state — every number the engine’s', async () => {
    const sample = (x: number, y: number): Sample => ({ inputs: [x, y], targets: [x * y > 0 ? 1 : 0] })
    const config: RunConfig = {
      ...runConfigs(experimentOf(sheetExperiment()))[0],
      network: { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' },
      weights: [0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.6, -0.5, 0.3],
      biases: [0.1, -0.1, 0.05, 0],
      samples: [sample(0.5, 0.4), sample(-0.3, 0.8), sample(-0.6, -0.2), sample(0.7, -0.9)],
      test: [sample(0.2, 0.3), sample(-0.5, 0.5)],
      optimizer: optimizerOf('adam'),
      regularization: { kind: 'l1', rate: 0.01 },
      epochs: 20,
    }
    const run = train(config)
    const path = join(dir, 'adam.csv')
    await exportCsv({ runs: [run], path })
    const rows = parse(await readFile(path, 'utf8'))
    expect(rows[0]).toEqual(['epoch', ...run.layout.names])
    for (const name of ['penalty', 'E_test', 'acc_train', 'acc_test', 'm_w1', 'v_b4']) expect(rows[0]).toContain(name)
    expect(rows[0].filter((n) => /^[mv]_[wb]\d+$/.test(n))).toHaveLength(2 * (9 + 4))
    rows.slice(1).forEach((row, e) => run.layout.names.forEach((_, c) => expect(Number(row[c + 1])).toBe(run.table.get(e, c))))
    expect(Number(rows[2][rows[0].indexOf('m_w1')])).not.toBe(0)
  })

  it('puts several learning rates in one file, each row with its run and η', async () => {
    const path = join(dir, 'six.csv')
    await exportCsv({ runs: (await prepareExport(sixRates())).runs, path })
    const rows = parse(await readFile(path, 'utf8'))
    expect(rows[0].slice(0, 4)).toEqual(['run', 'eta', 'epoch', 't1'])
    expect(rows).toHaveLength(1 + 6 * 70)
    runConfigs(experimentOf(sixRates())).forEach((config, i) => {
      const run = train(config)
      const mine = rows.filter((r) => r[0] === String(i + 1))
      expect(mine).toHaveLength(70)
      mine.forEach((row, e) => {
        expect([Number(row[1]), Number(row[2])]).toEqual([config.learningRate, e + 1])
        expect(Number(row[3 + run.layout.lossColumn])).toBe(run.losses[e])
      })
    })
  })

  it('refuses an invalid experiment or a missing folder with a clear message, and cancels', async () => {
    await expect(prepareExport('{}')).rejects.toThrow(/Cannot export: format/)
    await expect(exportCsv({ runs: (await prepareExport(sheetExperiment())).runs, path: join(dir, 'missing', 'x.csv') })).rejects.toThrow(/Could not save "x\.csv": .*the folder does not exist/)
    const controller = new AbortController()
    controller.abort()
    await expect(exportCsv({ runs: (await prepareExport(sheetExperiment())).runs, path: join(dir, 'cancelled.csv'), signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect((await readdir(dir)).filter((f) => f.includes('partial') || f.endsWith('.tmp') || f.startsWith('bad') || f.startsWith('cancelled'))).toEqual([])
  })
})
