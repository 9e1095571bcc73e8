import * as v from 'valibot'
import { drawParameters } from './engine/random'
import { ACTIVATIONS, BIAS_MODES, INIT_SCHEMES, LOSSES, type RunConfig } from './engine/types'
import { ConfigError, networkProblem, runConfigProblem } from './engine/validate'
import { issueLine } from './issue-line'

/**
 * The experiment file, version 1: what the app, the command line and the tests read.
 * Documented in docs/experiment-format.md. Unknown fields are kept (looseObject), not rejected.
 */
export const EXPERIMENT_FORMAT = 'backprop-lab.experiment'

const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'))
const numbers = v.array(finite, 'must be a list of numbers')

const NetworkSchema = v.looseObject({
  layers: v.array(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1')), 'must be a list of layer sizes'),
  activations: v.array(v.picklist(ACTIVATIONS, `must be one of ${ACTIVATIONS.join(', ')}`), 'must be a list of activations'),
  bias: v.optional(v.picklist(BIAS_MODES, `must be one of ${BIAS_MODES.join(', ')}`), 'none'),
})

const ExplicitInit = v.looseObject({ weights: numbers, biases: v.optional(numbers) })
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
  samples: v.array(v.looseObject({ inputs: numbers, targets: numbers }), 'must be a list of samples'),
  init: v.union([ExplicitInit, SeededInit], 'must give either weights, or a seed and a scheme'),
  training: v.looseObject({
    learningRates: v.pipe(v.array(v.pipe(finite, v.gtValue(0, 'must be > 0')), 'must be a list of numbers'), v.minLength(1, 'needs at least one learning rate')),
    epochs: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1')),
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
    for (const config of runConfigs(exp)) {
      const problem = runConfigProblem(config)
      if (problem) return { ok: false, error: problem.message.replace('training.learningRate', 'training.learningRates') }
    }
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

/** One run per learning rate, all from the same initial parameters. */
export function runConfigs(exp: Experiment): RunConfig[] {
  const { weights, biases } = initialParameters(exp)
  return exp.training.learningRates.map((learningRate) => ({
    network: { layers: [...exp.network.layers], activations: [...exp.network.activations], bias: exp.network.bias },
    loss: exp.loss,
    samples: exp.samples.map((s) => ({ inputs: [...s.inputs], targets: [...s.targets] })),
    weights: [...weights],
    biases: [...biases],
    learningRate,
    momentum: exp.training.momentum,
    epochs: exp.training.epochs,
    stopBelow: exp.training.stopBelow,
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
