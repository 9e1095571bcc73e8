import * as v from 'valibot'
import { drawParameters } from './engine/random'
import {
  ACTIVATIONS,
  BIAS_MODES,
  INIT_SCHEMES,
  LOSSES,
  NO_REGULARIZATION,
  OPTIMIZER_KINDS,
  optimizerOf,
  REGULARIZATION_KINDS,
  type Optimizer,
  type Regularization,
  type RunConfig,
  type Sample,
} from './engine/types'
import { ConfigError, jobProblem, networkProblem, rateProblem } from './engine/validate'
import { DataSpecSchema, generateDataset, targetShapeProblem, type DataSpec } from './data/dataset'
import { applyFeatures, FEATURES, featuresProblem, type Feature } from './data/features'
import { issueLine } from './issue-line'
import { LIMITS, MAX_BIASES, MAX_WEIGHTS } from './limits'
import { finite, uint32 } from './schema-numbers'

/**
 * The experiment's configuration, as format version 3 holds it beside the document's own fields
 * (document/): what the app, the command line and the tests read. Documented in
 * docs/experiment-format.md. Unknown fields are kept (looseObject), not rejected.
 */
export const EXPERIMENT_FORMAT = 'backprop-lab.experiment'
/** The format version this app writes (document/schema.ts's DOCUMENT_VERSION is this one). */
export const FORMAT_VERSION = 3

/** "has 65 learning rates; at most 64": the count found and the limit (LIMITS). */
const below = (max: number, what: string, why = '') =>
  v.maxLength<unknown[], number, (issue: v.MaxLengthIssue<unknown[], number>) => string>(
    max,
    (issue) => `has ${issue.received} ${what}; at most ${max}${why}`
  )

/**
 * A list of at most `max` finite numbers. One loop, not a schema per element: a file can hold ten
 * million of them, and validation must cost about what reading the file does (issue 12 item 7).
 * The length is checked before any element is.
 */
const numbers = (max: number) =>
  v.pipe(
    v.custom<unknown[]>((x) => Array.isArray(x), 'must be a list of numbers'),
    below(max, 'values'),
    v.rawCheck<unknown[]>(({ dataset, addIssue }) => {
      if (!dataset.typed) return
      const xs = dataset.value
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]
        if (typeof x === 'number' && Number.isFinite(x)) continue
        const path: [v.ArrayPathItem] = [{ type: 'array', origin: 'value', input: xs, key: i, value: x }]
        return addIssue({ message: typeof x === 'number' ? 'must be a finite number' : 'must be a number', input: x, path })
      }
    }),
    v.transform((xs) => xs as number[])
  )

const NetworkSchema = v.looseObject({
  layers: v.pipe(
    v.array(v.unknown(), 'must be a list of layer sizes'),
    below(LIMITS.maxLayers, 'layers'),
    v.array(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(LIMITS.maxNeurons, `at most ${LIMITS.maxNeurons} neurons a layer`)
      )
    )
  ),
  activations: v.pipe(
    v.array(v.unknown(), 'must be a list of activations'),
    below(LIMITS.maxLayers - 1, 'activations', ' (one per non-input layer)'),
    v.array(v.picklist(ACTIVATIONS, `must be one of ${ACTIVATIONS.join(', ')}`))
  ),
  bias: v.optional(v.picklist(BIAS_MODES, `must be one of ${BIAS_MODES.join(', ')}`), 'none'),
})

const ExplicitInit = v.looseObject({ weights: numbers(MAX_WEIGHTS), biases: v.optional(numbers(MAX_BIASES)) })
const SeededInit = v.looseObject({
  seed: uint32,
  scheme: v.picklist(INIT_SCHEMES, `must be one of ${INIT_SCHEMES.join(', ')}`),
  range: v.optional(v.pipe(finite, v.gtValue(0, 'must be > 0'))),
})

/** One sample of a file: its inputs and targets (unknown fields kept). */
export const SampleSchema = v.looseObject({ inputs: numbers(LIMITS.maxNeurons), targets: numbers(LIMITS.maxNeurons) })

const sampleList = v.pipe(v.array(v.unknown(), 'must be a list of samples'), below(LIMITS.maxSamples, 'samples'), v.array(SampleSchema))

const belowOne = v.pipe(finite, v.minValue(0, 'must be ≥ 0'), v.ltValue(1, 'must be < 1'))

/** A file gives the kind and any hyper-parameters; the rest are PyTorch's defaults (OPTIMIZER_DEFAULTS). */
const OptimizerSchema = v.pipe(
  v.looseObject(
    {
      kind: v.picklist(OPTIMIZER_KINDS, `must be one of ${OPTIMIZER_KINDS.join(', ')}`),
      momentum: v.optional(belowOne),
      rho: v.optional(belowOne),
      beta1: v.optional(belowOne),
      beta2: v.optional(belowOne),
      epsilon: v.optional(v.pipe(finite, v.gtValue(0, 'must be > 0'))),
    },
    'must be an object with a kind'
  ),
  v.transform(({ kind, ...given }) => optimizerOf(kind, given))
)

const RegularizationSchema = v.looseObject(
  {
    kind: v.picklist(REGULARIZATION_KINDS, `must be one of ${REGULARIZATION_KINDS.join(', ')}`),
    rate: v.optional(v.pipe(finite, v.minValue(0, 'must be ≥ 0')), 0),
  },
  'must be an object with a kind and a rate'
)

export const ExperimentSchema = v.looseObject({
  format: v.literal(EXPERIMENT_FORMAT, `must be "${EXPERIMENT_FORMAT}"`),
  // Older versions are migrated before they get here (document/migrate.ts).
  version: v.literal(FORMAT_VERSION, `must be ${FORMAT_VERSION}`),
  name: v.optional(v.string('must be text'), 'Untitled experiment'),
  network: NetworkSchema,
  loss: v.optional(v.picklist(LOSSES, `must be one of ${LOSSES.join(', ')}`), 'half-sse'),
  /** A generated data set; when given, `samples` and `test` are generated from it. */
  data: v.optional(DataSpecSchema),
  samples: v.optional(sampleList),
  test: v.optional(sampleList),
  features: v.optional(
    v.pipe(
      v.array(v.unknown(), 'must be a list of feature names'),
      below(FEATURES.length, 'features'),
      v.array(v.picklist(FEATURES, `must be one of ${FEATURES.join(', ')}`))
    )
  ),
  init: v.union([ExplicitInit, SeededInit], 'must give either weights, or a seed and a scheme'),
  training: v.looseObject({
    learningRates: v.pipe(
      v.array(v.unknown(), 'must be a list of numbers'),
      v.minLength(1, 'needs at least one learning rate'),
      below(LIMITS.maxLearningRates, 'learning rates', ' (one run each)'),
      v.array(v.pipe(finite, v.gtValue(0, 'must be > 0')))
    ),
    epochs: v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(LIMITS.maxEpochs, `must be at most ${LIMITS.maxEpochs}`)
    ),
    stopBelow: v.optional(v.pipe(finite, v.minValue(0, 'must be ≥ 0')), 0),
    batchSize: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(0, 'must be ≥ 0 (0: the full batch)'),
        v.maxValue(LIMITS.maxSamples, `must be at most ${LIMITS.maxSamples}`)
      ),
      0
    ),
    shuffleSeed: v.optional(uint32, 0),
    optimizer: v.optional(OptimizerSchema, { kind: 'sgd' }),
    regularization: v.optional(RegularizationSchema, () => ({ ...NO_REGULARIZATION })),
    // Version 2's field, migrated to `optimizer` (document/migrate.ts); a value the migration could
    // not take keeps its version-2 message, and a valid one written into version 3 is refused.
    momentum: v.optional(
      v.pipe(
        finite,
        v.minValue(0, 'must be ≥ 0'),
        v.maxValue(0.999999, 'must be < 1'),
        v.check(() => false, 'is version 2\'s field; version 3 writes "optimizer": { "kind": "momentum", "momentum": μ }')
      )
    ),
  }),
})

type ExperimentFile = v.InferOutput<typeof ExperimentSchema>

/** How the runs train; the optimizer fully resolved (defaults filled in). A file's unknown fields here are carried but not typed, so a misspelt field in code is a type error. */
export interface TrainingSettings {
  learningRates: number[]
  epochs: number
  stopBelow: number
  /** 0: the full batch, unshuffled. */
  batchSize: number
  shuffleSeed: number
  optimizer: Optimizer
  regularization: Regularization
}

/** An experiment in memory: `samples` and `test` always there (generated when `data` is given). */
export interface Experiment {
  format: typeof EXPERIMENT_FORMAT
  version: typeof FORMAT_VERSION
  name: string
  network: ExperimentFile['network']
  loss: ExperimentFile['loss']
  data?: DataSpec
  samples: Sample[]
  test: Sample[]
  features?: Feature[]
  init: ExperimentFile['init']
  training: TrainingSettings
  [unknown: string]: unknown
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** The sheet's experiment: what the app opens at start and the CLI trains without a file. */
export function defaultExperiment(): Experiment {
  return {
    format: EXPERIMENT_FORMAT,
    version: FORMAT_VERSION,
    name: 'Backpropagation sheet',
    network: { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' },
    loss: 'half-sse',
    samples: [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }],
    test: [],
    init: { weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] },
    training: {
      learningRates: [0.5],
      epochs: 70,
      stopBelow: 0,
      batchSize: 0,
      shuffleSeed: 0,
      optimizer: optimizerOf('sgd'),
      regularization: { ...NO_REGULARIZATION },
    },
  }
}

/**
 * The samples and test samples of `data`, generated for the experiment's output layer. The
 * editor calls this after the data spec or the output layer changed; reading a file does too.
 */
export function withGeneratedData<E extends Pick<Experiment, 'data' | 'network'>>(exp: E): E & { samples: Sample[]; test: Sample[] } {
  if (!exp.data) throw new RangeError('the experiment has no data spec to generate samples from')
  const layers = exp.network.layers
  return { ...exp, ...generateDataset(exp.data, layers[layers.length - 1]) }
}

/**
 * The first problem of the data (generated or explicit) and its features for this network, or
 * null: the output layer fits the generator's targets, the features apply to 2-D inputs, and the
 * input layer has one neuron per feature. The engine checks the rest on the feature values.
 */
export function dataProblem(exp: Pick<Experiment, 'data' | 'network' | 'features' | 'samples' | 'test'>): ConfigError | null {
  const layers = exp.network.layers
  if (exp.data) {
    const targets = targetShapeProblem(exp.data.generator, layers[layers.length - 1])
    if (targets) return new ConfigError('data.generator', targets)
  }
  if (!exp.features) return null
  // The raw inputs' width: the first sample's, a training sample's before a test sample's (2 without samples).
  const first = exp.samples.length > 0 ? exp.samples[0] : exp.test[0]
  const features = featuresProblem(exp.features, first === undefined ? 2 : first.inputs.length)
  if (features) return new ConfigError('features', features)
  for (const [list, samples] of [
    ['samples', exp.samples],
    ['test', exp.test],
  ] as const) {
    const s = samples.findIndex((x) => x.inputs.length !== 2)
    if (s >= 0) return new ConfigError(`${list}[${s}].inputs`, `needs 2 values (x1, x2) for features, got ${samples[s].inputs.length}`)
  }
  if (layers[0] !== exp.features.length)
    return new ConfigError(
      'network.layers[0]',
      `is ${layers[0]} but features lists ${exp.features.length}: the input layer has one neuron per feature`
    )
  return null
}

/** Checks the shape with the schema and then everything the engine needs; one message naming the field. */
export function parseExperiment(data: unknown): Parsed<Experiment> {
  const result = v.safeParse(ExperimentSchema, data, { abortEarly: true })
  if (!result.success) return { ok: false, error: issueLine(result.issues[0]) }
  const { momentum: _legacy, ...training } = result.output.training
  void _legacy
  const parsed = { ...result.output, training }
  const network = networkProblem(parsed.network)
  if (network) return { ok: false, error: network.message }
  if (!parsed.data && !parsed.samples) return { ok: false, error: 'samples: is missing; give samples, or data to generate them' }
  try {
    const targets = parsed.data && targetShapeProblem(parsed.data.generator, parsed.network.layers[parsed.network.layers.length - 1])
    if (targets) throw new ConfigError('data.generator', targets)
    // Given data, the samples are generated (deterministic: the same every time the file is read).
    const exp: Experiment = parsed.data ? withGeneratedData(parsed) : { ...parsed, samples: parsed.samples ?? [], test: parsed.test ?? [] }
    // Runs differ only in their learning rate: the rest is checked once, whatever the number of rates.
    // A seeded init draws the right number of finite values by construction: not drawn to be checked.
    const { weights, biases } = 'seed' in exp.init ? { weights: null, biases: null } : initialParameters(exp)
    const problem =
      dataProblem(exp) ??
      // Without features the engine checks the samples themselves: no copy of 10,000 wide samples.
      jobProblem({
        ...(exp.features ? datasetOf(exp) : { samples: exp.samples, test: exp.test }),
        ...trainingOf(exp),
        network: exp.network,
        loss: exp.loss,
        weights,
        biases,
      }) ??
      exp.training.learningRates.reduce<ConfigError | null>(
        (found, rate, i) => found ?? rateProblem(rate, `training.learningRates[${i}]`),
        null
      )
    if (problem) return { ok: false, error: problem.message }
    return { ok: true, value: exp }
  } catch (e) {
    return { ok: false, error: e instanceof ConfigError ? e.message : String(e) }
  }
}

/** Initial weights and biases of an experiment, drawn when the file gives a seed. */
export function initialParameters(exp: Pick<Experiment, 'init' | 'network'>): { weights: number[]; biases: number[] } {
  if ('seed' in exp.init) return drawParameters(exp.network, exp.init as v.InferOutput<typeof SeededInit>)
  const init = exp.init as v.InferOutput<typeof ExplicitInit>
  return { weights: [...init.weights], biases: exp.network.bias === 'none' ? [] : [...(init.biases ?? [])] }
}

/**
 * What the input layer sees: plain copies of the training and test samples with the features
 * applied (the raw inputs without features). The one place samples become a run's data.
 */
export function datasetOf(exp: Pick<Experiment, 'features' | 'samples' | 'test'>): { samples: Sample[]; test: Sample[] } {
  return { samples: applyFeatures(exp.features, exp.samples), test: applyFeatures(exp.features, exp.test) }
}

/** How a run steps: batches, shuffle seed, optimizer and regularization, as plain data (the IPC schema is strict). */
export function trainingOf(
  exp: Pick<Experiment, 'training'>
): Pick<RunConfig, 'batchSize' | 'shuffleSeed' | 'optimizer' | 'regularization' | 'epochs' | 'stopBelow'> {
  const { batchSize, shuffleSeed, optimizer: o, regularization: r, epochs, stopBelow } = exp.training
  return {
    batchSize,
    shuffleSeed,
    optimizer: { kind: o.kind, momentum: o.momentum, rho: o.rho, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon },
    regularization: { kind: r.kind, rate: r.rate },
    epochs,
    stopBelow,
  }
}

/**
 * One run per learning rate, all from the same initial parameters. The samples are copied once and
 * shared by every run (nothing changes them): 64 rates of 10,000 wide samples must not cost 64 copies.
 */
export function runConfigs(exp: Experiment): RunConfig[] {
  const { weights, biases } = initialParameters(exp)
  const data = datasetOf(exp)
  const training = trainingOf(exp)
  return exp.training.learningRates.map((learningRate) => ({
    network: { layers: [...exp.network.layers], activations: [...exp.network.activations], bias: exp.network.bias },
    loss: exp.loss,
    ...data,
    weights: [...weights],
    biases: [...biases],
    learningRate,
    ...training,
  }))
}

/** Reads experiment text (JSON); never throws. */
export function parseExperimentText(text: string): Parsed<Experiment> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` }
  }
  return parseExperiment(data)
}
