import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { generateDataset } from '../../../src/shared/data/dataset'
import { featureValues } from '../../../src/shared/data/features'
import {
  documentFromRuns,
  parseDocumentText,
  serializeDocument,
} from '../../../src/shared/document'
import { optimizerOf } from '../../../src/shared/engine/types'
import { defaultExperiment, runConfigs, withGeneratedData, type Experiment } from '../../../src/shared/experiment'
import { invokeSchemas } from '../../../src/shared/ipc'
import { jobOf } from '../../../src/shared/training/job'
import { fixture } from '../../fixtures/read'
import { error, ok, trained } from './parsed'
import { retrainAndCheck } from './retrain'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach anywhere in the JSON
const edited = (name: string, change: (d: Record<string, any>) => void) => {
  const d = JSON.parse(fixture(name))
  change(d)
  return JSON.stringify(d)
}
const V3 = ['v3-sheet.bplab', 'v3-seeded-tanh.bplab', 'v3-xor-features.bplab', 'v3-explicit-test-adam.bplab']

describe('version 3 files', () => {
  it.each(V3)('%s: opens with a good hash and no notice, and saves back to the same text', (name) => {
    const p = parseDocumentText(fixture(name))
    expect(p.ok && p.info).toEqual({ fileVersion: 3, hash: 'ok', notices: [] })
    const doc = ok(p)
    expect(serializeDocument(doc)).toBe(fixture(name))
    expect(ok(parseDocumentText(serializeDocument(doc)))).toStrictEqual(doc)
    expect(retrainAndCheck(doc)).toEqual([])
  })

  it('a file with data holds no samples; reading it generates them, the same every time', () => {
    const text = fixture('v3-xor-features.bplab')
    const raw = JSON.parse(text)
    expect(raw.samples).toBeUndefined()
    expect(raw.test).toBeUndefined()
    const doc = ok(parseDocumentText(text))
    const expected = generateDataset({ generator: 'xor', count: 60, noise: 10, seed: 3, testFraction: 0.25 }, 1)
    expect(doc.experiment.samples).toStrictEqual(expected.samples)
    expect(doc.experiment.test).toStrictEqual(expected.test)
    expect(doc.experiment.samples).toHaveLength(45)
    expect(doc.experiment.test).toHaveLength(15)
    expect(ok(parseDocumentText(text)).experiment.samples).toStrictEqual(doc.experiment.samples)
  })

  it('saving an experiment with data writes the spec, not its samples, and reopens with identical samples and results', () => {
    const exp: Experiment = withGeneratedData({
      ...defaultExperiment(),
      network: { layers: [2, 5, 2], activations: ['tanh', 'softmax'], bias: 'trained' },
      loss: 'softmax-ce',
      data: { generator: 'circle', count: 120, noise: 20, seed: 99, testFraction: 0.5 },
      init: { seed: 2, scheme: 'xavier' },
    })
    expect(exp.samples[0].targets).toHaveLength(2) // one-hot for the 2-neuron softmax
    exp.training.epochs = 30
    const runs = trained(exp)
    const text = serializeDocument(documentFromRuns(exp, runs, { now: new Date(0) }))
    expect(text).not.toContain('"samples"')
    expect(text).not.toContain('"test"')
    expect(text.length).toBeLessThan(3000) // the 120 points are not in it
    const again = ok(parseDocumentText(text))
    expect(again.experiment).toStrictEqual(exp)
    expect(runConfigs(again.experiment)).toStrictEqual(runConfigs(exp))
    expect(again.results).toHaveLength(1)
    expect(retrainAndCheck(again)).toEqual([])
  })

  it('runConfigs feeds the input layer the feature values, for training and test samples alike', () => {
    const doc = ok(parseDocumentText(fixture('v3-xor-features.bplab')))
    const [config] = runConfigs(doc.experiment)
    const features = ['x1', 'x2', 'x1*x2'] as const
    expect(config.samples.map((s) => s.inputs)).toStrictEqual(doc.experiment.samples.map((s) => featureValues(features, s.inputs)))
    expect(config.test.map((s) => s.inputs)).toStrictEqual(doc.experiment.test.map((s) => featureValues(features, s.inputs)))
    expect(config.samples[0].inputs[2]).toBe(config.samples[0].inputs[0] * config.samples[0].inputs[1])
  })

  it("the run configuration carries the file's training settings and crosses IPC's strict schema", () => {
    const doc = ok(parseDocumentText(fixture('v3-explicit-test-adam.bplab')))
    const [config] = runConfigs(doc.experiment)
    expect(config).toMatchObject({ batchSize: 2, shuffleSeed: 7, regularization: { kind: 'l2', rate: 0.01 } })
    expect(config.optimizer).toStrictEqual(optimizerOf('adam', { beta1: 0.8 }))
    expect(config.test).toStrictEqual([{ inputs: [0.2, 0.2], targets: [0.4] }])
    const start = v.safeParse(invokeSchemas.training.start, {
      runId: 1,
      job: jobOf(runConfigs(doc.experiment)),
      options: { record: false },
    })
    expect(start.success).toBe(true)
  })
})

describe('migration to version 3', () => {
  it("version 2's momentum μ becomes the momentum optimizer, μ = 0 plain sgd; the results still match", () => {
    const tanh = ok(parseDocumentText(fixture('v2-seeded-tanh.bplab')))
    expect(tanh.experiment.training.optimizer).toStrictEqual(optimizerOf('momentum', { momentum: 0.9 }))
    expect('momentum' in tanh.experiment.training).toBe(false)
    expect(retrainAndCheck(tanh)).toEqual([])
    const sheet = ok(parseDocumentText(fixture('v2-sheet.bplab')))
    expect(sheet.experiment.training).toMatchObject({
      batchSize: 0,
      shuffleSeed: 0,
      optimizer: optimizerOf('sgd'),
      regularization: { kind: 'none', rate: 0 },
    })
    expect(sheet.experiment.test).toEqual([])
    expect(sheet.experiment.data).toBeUndefined()
  })

  it('version 1 goes through 2 to 3: its momentum too', () => {
    const doc = ok(parseDocumentText(fixture('v1-seeded-extras.json')))
    expect(doc.experiment.training.optimizer).toStrictEqual(optimizerOf('momentum', { momentum: 0.5 }))
  })

  it('a version-2 file whose unknown fields version 3 now defines: they move under "legacy", nothing is misread', () => {
    const text = edited('v2-sheet.bplab', (d) => {
      delete d.hash
      d.data = [1, 2, 3]
      d.features = 'mine'
      d.training.optimizer = 'my own notes'
    })
    const doc = ok(parseDocumentText(text))
    expect(doc.experiment.legacy).toEqual({ data: [1, 2, 3], features: 'mine', training: { optimizer: 'my own notes' } })
    expect(doc.experiment.data).toBeUndefined()
    expect(doc.experiment.training.optimizer.kind).toBe('sgd')
  })

  it('a momentum the migration cannot take keeps its version-2 message', () => {
    expect(error(fixture('v2-sheet.bplab').replace('"momentum": 0', '"momentum": 1.5'))).toBe('training.momentum: must be < 1')
    expect(error(fixture('v2-sheet.bplab').replace('"momentum": 0', '"momentum": "0.5"'))).toBe('training.momentum: must be a number')
  })
})

describe('refusing bad version-3 files: one line naming the field', () => {
  it.each<[string, string, string]>([
    [
      'data and samples both',
      edited('v3-xor-features.bplab', (d) => (d.samples = [])),
      'samples: must be left out when data is given: the samples are generated from data',
    ],
    [
      'data and a test list both',
      edited('v3-xor-features.bplab', (d) => (d.test = [])),
      'test: must be left out when data is given: the samples are generated from data',
    ],
    [
      'neither data nor samples',
      edited('v3-sheet.bplab', (d) => delete d.samples),
      'samples: is missing; give samples, or data to generate them',
    ],
    ['too many points', edited('v3-xor-features.bplab', (d) => (d.data.count = 2001)), 'data.count: must be at most 2000'],
    ['too much noise', edited('v3-xor-features.bplab', (d) => (d.data.noise = 60)), 'data.noise: must be at most 50 (percent)'],
    [
      'an unknown generator',
      edited('v3-xor-features.bplab', (d) => (d.data.generator = 'moons')),
      'data.generator: must be one of circle, xor, gauss, spiral, plane, multi-gauss',
    ],
    [
      'a regression with two outputs',
      edited('v3-xor-features.bplab', (d) => {
        d.data.generator = 'plane'
        d.network.layers = [3, 4, 2]
        d.results = []
      }),
      'data.generator: "plane" gives one number per point: the output layer needs 1 neuron, not 2',
    ],
    [
      'an unknown feature',
      edited('v3-xor-features.bplab', (d) => (d.features = ['x1', 'cos(x1)'])),
      'features[1]: must be one of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)',
    ],
    ['a feature twice', edited('v3-xor-features.bplab', (d) => (d.features = ['x1', 'x1', 'x2'])), 'features: lists "x1" twice'],
    [
      'an input layer that is not one neuron per feature',
      edited('v3-xor-features.bplab', (d) => (d.features = ['x1', 'x2'])),
      'network.layers[0]: is 3 but features lists 2: the input layer has one neuron per feature',
    ],
    [
      'features of 3-D samples',
      edited('v3-explicit-test-adam.bplab', (d) => {
        d.features = ['x1']
        d.test = [{ inputs: [1, 2, 3], targets: [0] }]
      }),
      'test[0].inputs: needs 2 values (x1, x2) for features, got 3',
    ],
    [
      'an unknown optimizer',
      edited('v3-sheet.bplab', (d) => (d.training.optimizer = { kind: 'lion' })),
      'training.optimizer.kind: must be one of sgd, momentum, nesterov, rmsprop, adam',
    ],
    ['β2 = 1', edited('v3-explicit-test-adam.bplab', (d) => (d.training.optimizer.beta2 = 1)), 'training.optimizer.beta2: must be < 1'],
    ['ε = 0', edited('v3-explicit-test-adam.bplab', (d) => (d.training.optimizer.epsilon = 0)), 'training.optimizer.epsilon: must be > 0'],
    [
      'a negative regularization rate',
      edited('v3-sheet.bplab', (d) => (d.training.regularization = { kind: 'l1', rate: -1 })),
      'training.regularization.rate: must be ≥ 0',
    ],
    [
      'a fractional batch size',
      edited('v3-sheet.bplab', (d) => (d.training.batchSize = 1.5)),
      'training.batchSize: must be a whole number',
    ],
    [
      'a batch size over the limit',
      edited('v3-sheet.bplab', (d) => (d.training.batchSize = 10001)),
      'training.batchSize: must be at most 10000',
    ],
    ['a shuffle seed of 2³²', edited('v3-sheet.bplab', (d) => (d.training.shuffleSeed = 2 ** 32)), 'training.shuffleSeed: must be < 2³²'],
    [
      "version 2's momentum written into version 3",
      edited('v3-sheet.bplab', (d) => (d.training.momentum = 0.5)),
      'training.momentum: is version 2\'s field; version 3 writes "optimizer": { "kind": "momentum", "momentum": μ }',
    ],
    [
      'a test sample that does not fit the network',
      edited('v3-explicit-test-adam.bplab', (d) => (d.test[0].targets = [1, 2])),
      'test[0].targets: needs 1 values, got 2',
    ],
  ])('%s', (_, text, message) => {
    expect(error(text)).toBe(message)
  })
})
