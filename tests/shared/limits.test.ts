import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { estimateCost, exportProblem, fitsOpenBudget, jobShape, recordPlan } from '../../src/shared/cost'
import { parseDocumentText } from '../../src/shared/document'
import { columnLayout, constantColumns, layoutOf } from '../../src/shared/engine/columns'
import { NO_REGULARIZATION, optimizerOf, sheetTraining, type NetworkSpec } from '../../src/shared/engine/types'
import { jobProblem, networkProblem, rateProblem } from '../../src/shared/engine/validate'
import { defaultExperiment, parseExperiment, runConfigs, type Experiment } from '../../src/shared/experiment'
import { invokeSchemas } from '../../src/shared/ipc'
import { LIMITS, utf8Bytes } from '../../src/shared/limits'
import { jobOf, jobRuns } from '../../src/shared/training/job'

/** The sheet's experiment with some fields changed, as a file would hold it. */
const fileWith = (edit: (e: ReturnType<typeof defaultExperiment>) => void) => {
  const exp = defaultExperiment()
  edit(exp)
  return exp
}
const layersOf = (sizes: number[]): Experiment['network'] => ({ layers: sizes, activations: sizes.slice(1).map(() => 'sigmoid' as const), bias: 'none' })
const ipcStart = invokeSchemas.training.start
const viaIpc = (exp: ReturnType<typeof defaultExperiment>) => {
  const job = jobOf(runConfigs(exp))
  const schema = v.safeParse(ipcStart, { runId: 1, job, options: { record: false } })
  return schema.success ? jobRuns(job, false).ok : false
}
const viaFile = (exp: ReturnType<typeof defaultExperiment>) => parseExperiment(JSON.parse(JSON.stringify(exp))).ok
const viaEngine = (exp: ReturnType<typeof defaultExperiment>) => {
  const [first, ...rest] = runConfigs(exp)
  return !jobProblem(first) && [first, ...rest].every((c) => !rateProblem(c.learningRate))
}

describe('one table of limits: the file format, the engine and IPC agree at every edge', () => {
  const seeded = (e: ReturnType<typeof defaultExperiment>) => (e.init = { seed: 1, scheme: 'xavier' })
  const cases: [string, (e: ReturnType<typeof defaultExperiment>) => void, (e: ReturnType<typeof defaultExperiment>) => void][] = [
    ['learning rates', (e) => (e.training.learningRates = new Array(64).fill(0.5)), (e) => (e.training.learningRates = new Array(65).fill(0.5))],
    ['epochs', (e) => (e.training.epochs = LIMITS.maxEpochs), (e) => (e.training.epochs = LIMITS.maxEpochs + 1)],
    [
      'neurons a layer',
      (e) => (seeded(e), (e.network = layersOf([2, 512, 2]))),
      (e) => (seeded(e), (e.network = layersOf([2, 513, 2]))),
    ],
    [
      'layers',
      (e) => (seeded(e), (e.network = layersOf(new Array(12).fill(2)))),
      (e) => (seeded(e), (e.network = layersOf(new Array(13).fill(2)))),
    ],
    [
      'samples',
      (e) => (e.samples = new Array(LIMITS.maxSamples).fill(e.samples[0])),
      (e) => (e.samples = new Array(LIMITS.maxSamples + 1).fill(e.samples[0])),
    ],
    [
      'test samples',
      (e) => (e.test = new Array(LIMITS.maxSamples).fill(e.samples[0])),
      (e) => (e.test = new Array(LIMITS.maxSamples + 1).fill(e.samples[0])),
    ],
    ['batch size', (e) => (e.training.batchSize = LIMITS.maxSamples), (e) => (e.training.batchSize = LIMITS.maxSamples + 1)],
    ['shuffle seed', (e) => (e.training.shuffleSeed = 2 ** 32 - 1), (e) => (e.training.shuffleSeed = 2 ** 32)],
  ]
  it.each(cases)('%s: the limit is accepted by all three, one past it by none', (_, atLimit, pastLimit) => {
    const ok = fileWith(atLimit)
    expect([viaFile(ok), viaEngine(ok), viaIpc(ok)]).toEqual([true, true, true])
    const bad = fileWith(pastLimit)
    // The engine is asked about what it validates itself (runs and networks); the count of
    // learning rates is a property of a job, checked by the file schema and the IPC schema.
    expect([viaFile(bad), viaIpc(bad)]).toEqual([false, false])
    if (_ !== 'learning rates') expect(viaEngine(bad)).toBe(false)
  })

  it('the widest network a file may hold (12 layers of 512) crosses IPC: it once was dropped at 9', () => {
    const widest = fileWith((e) => {
      e.init = { seed: 7, scheme: 'he' }
      e.network = layersOf(new Array(12).fill(512))
      e.samples = [{ inputs: new Array(512).fill(0.5), targets: new Array(512).fill(0.5) }]
    })
    expect([viaFile(widest), viaIpc(widest)]).toEqual([true, true])
  })

  it('the engine names the limits it checks', () => {
    expect(networkProblem(layersOf([2, 513]))?.message).toBe('network.layers[1]: 513 neurons; at most 512 a layer')
  })
})

describe('validation costs the size of the file, not a multiple of it', () => {
  it('runs share one copy of the samples; every learning rate is checked without copying them', () => {
    const exp = fileWith((e) => {
      e.training.learningRates = new Array(64).fill(0).map((_, i) => 0.1 + i)
      e.samples = Array.from({ length: 1000 }, () => ({ inputs: [0.1, 0.2], targets: [0.3, 0.4] }))
    })
    const configs = runConfigs(exp)
    expect(configs).toHaveLength(64)
    expect(new Set(configs.map((c) => c.samples)).size).toBe(1)
    expect(configs[0].samples).not.toBe(exp.samples) // a copy, once
    const bad = fileWith((e) => (e.training.learningRates = [0.5, 1, -2]))
    expect(parseExperiment(bad)).toEqual({ ok: false, error: 'training.learningRates[2]: must be > 0' })
  })
})

describe('utf8Bytes: the byte count open and save share', () => {
  it.each([['ascii', 'abc'], ['latin-1', 'café'], ['euro', '€€'], ['emoji', 'a😀b'], ['lone surrogate', 'a\ud800b'], ['empty', '']])('%s', (_, text) => {
    expect(utf8Bytes(text)).toBe(Buffer.byteLength(text, 'utf8'))
  })

  it('a document of 44 M characters of multi-byte notes is 132 MB: refused by bytes, as it would not reopen', () => {
    const text = JSON.stringify({ ...defaultExperiment(), notes: '€'.repeat(44 * 1024 * 1024) })
    expect(text.length).toBeLessThan(LIMITS.maxFileBytes)
    expect(parseDocumentText(text)).toEqual({ ok: false, error: 'file: is 132 MB; files up to 128 MB can be opened' })
  })
})

describe('the cost estimate', () => {
  const nets: [NetworkSpec, number][] = [
    [{ layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' }, 1],
    [{ layers: [3, 4, 4, 2], activations: ['tanh', 'tanh', 'linear'], bias: 'trained' }, 2],
    [{ layers: [5, 3, 1], activations: ['relu', 'sigmoid'], bias: 'fixed' }, 3],
  ]
  it.each(nets)('counts the columns engine/columns.ts lays out (%j, %i samples)', (network, samples) => {
    const cost = estimateCost({ network, samples, epochs: 10, runs: 3 })
    const sampleList = Array.from({ length: samples }, () => ({ inputs: new Array(network.layers[0]).fill(0), targets: new Array(network.layers.at(-1)!).fill(0) }))
    const layout = columnLayout(network, samples)
    expect(cost.columns).toBe(layout.names.length)
    expect(cost.recordedNumbers).toBe((layout.names.length - constantColumns(layout, sampleList).size) * 10 * 3)
    expect(cost.lossBytes).toBe(10 * 3 * 8)
  })

  it.each([
    ['adam, l2, a test set, 0/1 targets, 12 samples', { optimizer: optimizerOf('adam'), regularization: { kind: 'l2' as const, rate: 0.1 }, testCount: 3, binary: true, count: 12 }],
    ['momentum, mini-batches, real targets, 4 samples', { optimizer: optimizerOf('momentum'), regularization: NO_REGULARIZATION, testCount: 0, binary: false, count: 4 }],
  ])('counts the columns of a run with %s as layoutOf lays them out', (_, c) => {
    const network: NetworkSpec = { layers: [2, 3, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }
    const sample = (i: number) => ({ inputs: [i, -i], targets: [c.binary ? i % 2 : 0.3] })
    const config = {
      ...sheetTraining(),
      network,
      loss: 'half-sse' as const,
      samples: Array.from({ length: c.count }, (_, i) => sample(i)),
      test: Array.from({ length: c.testCount }, (_, i) => sample(i)),
      weights: new Array(9).fill(0.1),
      biases: new Array(4).fill(0),
      learningRate: 0.1,
      batchSize: 2,
      optimizer: c.optimizer,
      regularization: c.regularization,
      epochs: 10,
      stopBelow: 0,
    }
    const layout = layoutOf(config)
    const cost = estimateCost(jobShape(config, 3))
    expect(cost.columns).toBe(layout.names.length)
    expect(cost.recordedNumbers).toBe((layout.names.length - constantColumns(layout, config.samples).size) * 10 * 3)
  })

  it('the work of an epoch: mini-batches pass over the set twice (row and batches) and step once a batch; a test set adds a forward pass', () => {
    const network = nets[1][0]
    const full = estimateCost({ network, samples: 100, epochs: 10, runs: 2 })
    const batched = estimateCost({ network, samples: 100, epochs: 10, runs: 2, batchSize: 10 })
    const tested = estimateCost({ network, samples: 100, epochs: 10, runs: 2, test: 50 })
    expect(batched.updates).toBe(2 * full.updates + 10 * 10 * 2 * full.parameters)
    expect(tested.updates).toBe(1.5 * full.updates)
    expect(estimateCost({ network, samples: 100, epochs: 10, runs: 2, batchSize: 100 }).updates).toBe(full.updates)
  })

  it('the sheet trains at once; 64 rates × 100 M epochs are refused, naming the number', () => {
    const sheet = estimateCost({ network: nets[0][0], samples: 1, epochs: 70, runs: 1 })
    expect(fitsOpenBudget(sheet)).toBe(true)
    expect(recordPlan(sheet)).toEqual({ ok: true, record: true, note: null })
    const huge = estimateCost({ network: nets[0][0], samples: 1, epochs: 100_000_000, runs: 64 })
    expect(fitsOpenBudget(huge)).toBe(false)
    expect(recordPlan(huge)).toEqual({
      ok: false,
      error: 'the job needs 6.40 billion E_tot values (47.7 GB), more than the 1.00 GB it may use; train fewer epochs or learning rates',
    })
    expect(exportProblem(huge)).toMatch(/^the table would hold 173 billion numbers/)
    // 10,000 samples through 12 layers of 512: the table shows the first sample, 5.8 million columns.
    const widest = { layers: new Array(12).fill(512), activations: new Array(11).fill('sigmoid'), bias: 'trained' } as NetworkSpec
    expect(estimateCost({ network: widest, samples: 10_000, epochs: 1, runs: 1 }).columns).toBe(5_791_233)
    // With adam's two state columns per parameter it is too wide to lay out: E_tot only, said in one
    // sentence (only a recorded job lays out names), and an export is refused naming the width.
    const wide = estimateCost({ network: widest, samples: 10_000, epochs: 1, runs: 1, stateSlots: 2 })
    expect(recordPlan(wide, false)).toEqual({ ok: true, record: false, note: null })
    expect(recordPlan(wide)).toEqual({
      ok: true,
      record: false,
      note: 'Only E_tot is recorded: the epoch table would have 11.6 million columns, more than the 6.00 million the app lays out.',
    })
    expect(exportProblem(wide)).toBe('the epoch table would have 11.6 million columns, more than the 6.00 million the app can lay out; use fewer samples or smaller layers')
    // Beyond the record budget but within the E_tot one: E_tot only, said in one sentence.
    const long = recordPlan(estimateCost({ network: nets[0][0], samples: 1, epochs: 10_000_000, runs: 1 }))
    expect(long).toEqual({
      ok: true,
      record: false,
      note: 'Only E_tot is recorded: every column of every epoch would be 270 million numbers (2.01 GB), more than 1.00 GB.',
    })
  })
})
