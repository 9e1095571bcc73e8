import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawParameters, seededRandom, type Activation, type Loss } from '../../../src/shared/engine'
import { OPTIMIZER_KINDS, REGULARIZATION_KINDS, optimizerOf, type Regularization, type RunConfig } from '../../../src/shared/engine/types'
import { defaultExperiment } from '../../../src/shared/experiment'
import type { TrainedRun } from '../../../src/shared/export/input'
import { exportXlsx } from '../../../src/node/export/xlsx'
import { train } from '../../../src/shared/engine/trainer'
import { compareRuns, headerRow, numberOf, readWorkbook, setNamedCell, type Comparison } from './compare'
import { recalculateByName } from './libreoffice'
import { referenceRows } from '../../shared/engine/reference-trainer'

/**
 * Every optimizer × {none, L1, L2}: the engine's run exported with live formulas (the optimizer's
 * state, each parameter's step, the penalty), recomputed by LibreOffice, against the engine, to
 * 1e-12 relative in every cell — but a value that is a cancellation, smaller than
 * 1e-3 of its column's largest (a gradient, a moment or an L1-driven weight crossing zero), whose
 * rounding noise is compared to 1e-12 of that largest; then a hyper-parameter's named cell is changed
 * and the recomputed sheet follows a run with that value. All workbooks go through one LibreOffice start.
 * The engine's tables themselves agree with a run trained independently (reference-trainer.ts).
 */
const TOLERANCE = 1e-12
const CANCELLATION = 1e-3
const EPOCHS = 25

const REGULARIZATIONS: Record<(typeof REGULARIZATION_KINDS)[number], Regularization> = {
  none: { kind: 'none', rate: 0 },
  l1: { kind: 'l1', rate: 0.01 },
  l2: { kind: 'l2', rate: 0.05 },
}

/** 2-3-2, tanh then sigmoid, trained biases, two samples: every kind of column a step touches. */
function configOf(kind: (typeof OPTIMIZER_KINDS)[number], reg: Regularization, hyper: Partial<RunConfig['optimizer']> = {}): RunConfig {
  const network = { layers: [2, 3, 2], activations: ['tanh', 'sigmoid'] as RunConfig['network']['activations'], bias: 'trained' as const }
  const { weights, biases } = drawParameters(network, { seed: 21, scheme: 'xavier' })
  return {
    network,
    loss: 'half-sse',
    samples: [
      { inputs: [0.05, 0.1], targets: [0.01, 0.99] },
      { inputs: [-0.6, 0.8], targets: [0.7, 0.2] },
    ],
    test: [],
    weights,
    biases,
    learningRate: kind === 'sgd' || kind === 'momentum' || kind === 'nesterov' ? 0.5 : 0.005,
    batchSize: 0,
    shuffleSeed: 0,
    optimizer: optimizerOf(kind, hyper),
    regularization: reg,
    epochs: EPOCHS,
    stopBelow: 0,
  }
}

/** `train` training and `test` held-out samples drawn from a seed, targets in (0, 1). */
function withSamples(config: RunConfig, train: number, test: number): RunConfig {
  const random = seededRandom(train * 1000 + test)
  const sample = (): RunConfig['samples'][number] => ({ inputs: [2 * random() - 1, 2 * random() - 1], targets: [random(), random()] })
  return { ...config, samples: Array.from({ length: train }, sample), test: Array.from({ length: test }, sample) }
}

const CONFIGS: { name: string; config: RunConfig }[] = [
  ...OPTIMIZER_KINDS.flatMap((kind) => REGULARIZATION_KINDS.map((r) => ({ name: `${kind}-${r}`, config: configOf(kind, REGULARIZATIONS[r]) }))),
  // A test set: E_test sums the held-out samples inline (SUMPRODUCT over the parameters block).
  { name: 'test-set-momentum-l1', config: withSamples(configOf('momentum', REGULARIZATIONS.l1), 3, 7) },
  // 40 training samples: the table has the first one's columns; E_tot and every gradient sum all 40 inline.
  { name: 'forty-samples-adam-l2', config: withSamples(configOf('adam', REGULARIZATIONS.l2), 40, 12) },
  // The array forms of relu, leaky ReLU, softplus and binary cross-entropy inside SUMPRODUCT.
  { name: 'relu-bce-nesterov-l2', config: classification(withNetwork(configOf('nesterov', REGULARIZATIONS.l2), [2, 4, 1], ['relu', 'sigmoid'], 'bce'), 30, 8) },
  { name: 'leaky-softplus-mse-rmsprop-l1', config: withSamples(withNetwork(configOf('rmsprop', REGULARIZATIONS.l1), [2, 3, 2], ['leaky-relu', 'softplus'], 'mse'), 15, 5) },
]
/** Another network (and loss), its parameters drawn from a seed. */
function withNetwork(config: RunConfig, layers: number[], activations: Activation[], loss: Loss): RunConfig {
  const network = { layers, activations, bias: 'trained' as const }
  return { ...config, network, loss, ...drawParameters(network, { seed: 5, scheme: 'he' }) }
}

/** `train` and `test` samples with 0/1 targets: which side of a circle a point lies. */
function classification(config: RunConfig, train: number, test: number): RunConfig {
  const random = seededRandom(train * 31 + test)
  const sample = (): RunConfig['samples'][number] => {
    const [x, y] = [2 * random() - 1, 2 * random() - 1]
    return { inputs: [x, y], targets: [x * x + y * y < 0.5 ? 1 : 0] }
  }
  return { ...config, samples: Array.from({ length: train }, sample), test: Array.from({ length: test }, sample) }
}

const CASES = CONFIGS.map(({ name, config }) => ({ name, config, run: train(config) as TrainedRun }))
/** The edited workbook: adam with L2, β1 and λ changed in their named cells. */
const EDITED = { beta1: 0.7, lambda: 0.2 }

let dir = ''
let recomputed: Record<string, string> = {}
let cleanup: () => Promise<void> = async () => {}

const inputOf = (run: TrainedRun): { experiment: ReturnType<typeof defaultExperiment>; runs: TrainedRun[] } => ({ experiment: { ...defaultExperiment(), name: 'optimizers' }, runs: [run] })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-lo-optim-'))
  const files: string[] = []
  for (const c of CASES) {
    files.push(join(dir, `${c.name}.xlsx`))
    await exportXlsx({ input: inputOf(c.run), path: files.at(-1)! })
  }
  const edited = join(dir, 'edited.xlsx')
  await exportXlsx({ input: inputOf(train(configOf('adam', REGULARIZATIONS.l2))), path: edited })
  const wb = await readWorkbook(edited)
  setNamedCell(wb, 'beta1_1', EDITED.beta1)
  setNamedCell(wb, 'lambda_1', EDITED.lambda)
  await wb.xlsx.writeFile(edited)
  files.push(edited)
  ;({ byName: recomputed, cleanup } = await recalculateByName(files))
}, 300_000)

afterAll(async () => {
  await cleanup()
  await rm(dir, { recursive: true, force: true })
})

describe('LibreOffice recomputes every optimizer’s live formulas', () => {
  const seen: string[] = []
  for (const c of CASES)
    it(`${c.name}: every recomputed cell agrees with the engine to ${TOLERANCE}`, async () => {
      const wb = await readWorkbook(recomputed[c.name])
      const cmp: Comparison = compareRuns(wb, [c.run], { live: true, nearZero: CANCELLATION })
      seen.push(`${c.name} ${cmp.maxRelError.toExponential(1)} (${cmp.nearZero} of ${cmp.cells} cells near zero)`)
      expect(cmp.formulas).toBeGreaterThan(0.9 * cmp.cells)
      expect(cmp.maxRelError, cmp.worst).toBeLessThanOrEqual(TOLERANCE)
      // No softmax here: E_test and the accuracies are live too, summed inline where the table has no columns.
      const { testLossColumn, accTrainColumn, accTestColumn } = c.run.layout
      for (const col of [testLossColumn, accTrainColumn, accTestColumn].filter((x) => x >= 0))
        expect(numberOf(wb.getWorksheet(`η = ${c.config.learningRate}`)!.getRow(ws0(wb, c.run) + 2).getCell(col + 1).value).formula, c.run.layout.names[col]).toBe(true)
    })

  it('the engine trains what an independent trainer gives, column for column', () => {
    for (const c of CASES) {
      const want = referenceRows(c.config)
      const names = c.run.layout.names
      expect(new Set(names)).toEqual(new Set(want[0].keys()))
      let worst = 0
      names.forEach((name, col) => {
        const [a, b] = [c.run.table.column(col), want.map((row) => row.get(name)!)]
        const scale = b.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
        for (let e = 0; e < a.length; e++) worst = Math.max(worst, Math.abs(a[e] - b[e]) / (scale || 1))
      })
      expect(worst, c.name).toBeLessThanOrEqual(1e-12)
    }
  })

  it('the hyper-parameters are named cells: changing β1 and λ recomputes the run with them', async () => {
    const wb = await readWorkbook(recomputed.edited)
    const want = train(configOf('adam', { kind: 'l2', rate: EDITED.lambda }, { beta1: EDITED.beta1 })) as TrainedRun
    expect(compareRuns(wb, [want], { live: true, nearZero: CANCELLATION }).maxRelError).toBeLessThanOrEqual(TOLERANCE)
    // The old numbers are gone.
    const old = CASES.find((c) => c.name === 'adam-l2')!.run
    const ws = wb.getWorksheet('η = 0.005')!
    const last = old.table.rowCount - 1
    const got = numberOf(ws.getRow(ws.actualRowCount).getCell(old.layout.lossColumn + 1).value).n
    expect(Math.abs(got - old.table.get(last, old.layout.lossColumn))).toBeGreaterThan(1e-6)
  })

  /** Header row of the run's sheet. */
  const ws0 = (wb: Awaited<ReturnType<typeof readWorkbook>>, run: TrainedRun): number => headerRow(wb.getWorksheet(`η = ${run.config.learningRate}`)!, run.layout.names)

  afterAll(() => console.log(`largest relative error after LibreOffice recomputation: ${seen.join(', ')}`))
})
