import * as v from 'valibot'
import { drawParameters } from './engine/random'
import { ACTIVATIONS, BIAS_MODES, INIT_SCHEMES, LOSSES, optimizerOf, sheetTraining, type RunConfig } from './engine/types'
import { ConfigError, jobProblem, networkProblem, rateProblem } from './engine/validate'
import { issueLine } from './issue-line'
import { LIMITS, MAX_BIASES, MAX_WEIGHTS } from './limits'

/**
 * The experiment file, version 1: what the app, the command line and the tests read.
 * Documented in docs/experiment-format.md. Unknown fields are kept (looseObject), not rejected.
 */
export const EXPERIMENT_FORMAT = 'backprop-lab.experiment'

const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'))
/** "has 65 learning rates; at most 64": the count found and the limit (LIMITS). */
const below = (max: number, what: string, why = '') =>
  v.maxLength<unknown[], number, (issue: v.MaxLengthIssue<unknown[], number>) => string>(max, (issue) => `has ${issue.received} ${what}; at most ${max}${why}`)

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
    v.array(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(LIMITS.maxNeurons, `at most ${LIMITS.maxNeurons} neurons a layer`)))
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
  seed: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(0, 'must be ≥ 0'), v.maxValue(4294967295, 'must be < 2³²')),
  scheme: v.picklist(INIT_SCHEMES, `must be one of ${INIT_SCHEMES.join(', ')}`),
  range: v.optional(v.pipe(finite, v.gtValue(0, 'must be > 0'))),
})

export const ExperimentSchema = v.looseObject({
  format: v.literal(EXPERIMENT_FORMAT, `must be "${EXPERIMENT_FORMAT}"`),
  version: v.literal(1, 'must be 1'),
  name: v.optional(v.string('must be text'), 'Untitled experiment'),
  network: NetworkSchema,
  loss: v.optional(v.picklist(LOSSES, `must be one of ${LOSSES.join(', ')}`), 'half-sse'),
  samples: v.pipe(
    v.array(v.unknown(), 'must be a list of samples'),
    below(LIMITS.maxSamples, 'samples'),
    v.array(v.looseObject({ inputs: numbers(LIMITS.maxNeurons), targets: numbers(LIMITS.maxNeurons) }))
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
    momentum: v.optional(v.pipe(finite, v.minValue(0, 'must be ≥ 0'), v.maxValue(0.999999, 'must be < 1')), 0),
  }),
})

export type Experiment = v.InferOutput<typeof ExperimentSchema>

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** The sheet's experiment: what the app opens at start and the CLI trains without a file. */
export function defaultExperiment(): Experiment {
  return {
    format: EXPERIMENT_FORMAT,
    version: 1,
    name: 'Backpropagation sheet',
    network: { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' },
    loss: 'half-sse',
    samples: [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }],
    init: { weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] },
    training: { learningRates: [0.5], epochs: 70, stopBelow: 0, momentum: 0 },
  }
}

/** Checks the shape with the schema and then everything the engine needs; one message naming the field. */
export function parseExperiment(data: unknown): Parsed<Experiment> {
  const result = v.safeParse(ExperimentSchema, data, { abortEarly: true })
  if (!result.success) return { ok: false, error: issueLine(result.issues[0]) }
  const exp = result.output
  const network = networkProblem(exp.network)
  if (network) return { ok: false, error: network.message }
  try {
    // Runs differ only in their learning rate: the rest is checked once, whatever the number of rates.
    // A seeded init draws the right number of finite values by construction: not drawn to be checked.
    const { weights, biases } = 'seed' in exp.init ? { weights: null, biases: null } : initialParameters(exp)
    const { epochs, stopBelow } = exp.training
    const problem =
      jobProblem({ network: exp.network, loss: exp.loss, samples: exp.samples, weights, biases, epochs, stopBelow, ...trainingStep(exp) }) ??
      exp.training.learningRates.reduce<ConfigError | null>((found, rate, i) => found ?? rateProblem(rate, `training.learningRates[${i}]`), null)
    if (problem) return { ok: false, error: problem.message }
  } catch (e) {
    return { ok: false, error: e instanceof ConfigError ? e.message : String(e) }
  }
  return { ok: true, value: exp }
}

/** Initial weights and biases of an experiment, drawn when the file gives a seed. */
export function initialParameters(exp: Experiment): { weights: number[]; biases: number[] } {
  if ('seed' in exp.init) return drawParameters(exp.network, exp.init as v.InferOutput<typeof SeededInit>)
  const init = exp.init as v.InferOutput<typeof ExplicitInit>
  return { weights: [...init.weights], biases: exp.network.bias === 'none' ? [] : [...(init.biases ?? [])] }
}

/**
 * One run per learning rate, all from the same initial parameters. The samples are copied once and
 * shared by every run (nothing changes them): 64 rates of 10,000 wide samples must not cost 64 copies.
 */
export function runConfigs(exp: Experiment): RunConfig[] {
  const { weights, biases } = initialParameters(exp)
  const samples = exp.samples.map((s) => ({ inputs: [...s.inputs], targets: [...s.targets] }))
  return exp.training.learningRates.map((learningRate) => ({
    network: { layers: [...exp.network.layers], activations: [...exp.network.activations], bias: exp.network.bias },
    loss: exp.loss,
    samples,
    weights: [...weights],
    biases: [...biases],
    learningRate,
    ...trainingStep(exp),
    epochs: exp.training.epochs,
    stopBelow: exp.training.stopBelow,
  }))
}

/**
 * How a run steps, from the file's training settings: version 2's `training.momentum` μ is the
 * momentum optimizer (plain sgd for 0); full batch, no test set, no regularization.
 */
export function trainingStep(exp: Experiment): Pick<RunConfig, 'test' | 'batchSize' | 'shuffleSeed' | 'optimizer' | 'regularization'> {
  const mu = exp.training.momentum
  return { ...sheetTraining(), optimizer: mu === 0 ? optimizerOf('sgd') : optimizerOf('momentum', { momentum: mu }) }
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
