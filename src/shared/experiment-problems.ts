import * as v from 'valibot'
import { shapeOf } from './engine/shape'
import type { RunConfig, Sample } from './engine/types'
import { networkProblem, runConfigProblem } from './engine/validate'
import { ExperimentSchema, initialParameters, type Experiment } from './experiment'
import { fieldProblem } from './issue-line'

/**
 * Every problem of an experiment, keyed by field path (`network.layers[1]`, `samples[0].targets`,
 * `training.learningRates[2]`), so the editor can flag each field with its reason. The experiment
 * schema finds type and range problems; the engine's own validator finds what depends on the
 * network (lengths, loss against output activation) — each part is checked with every other part
 * replaced by a value known to be good, so one bad field does not hide the others.
 */
export type Problems = Record<string, string>

function schemaProblems(exp: Experiment): Problems {
  const out: Problems = {}
  const result = v.safeParse(ExperimentSchema, exp)
  if (result.success) return out
  for (const issue of result.issues) {
    const { field, problem } = fieldProblem(issue)
    out[field] ??= problem
  }
  return out
}

function engineProblems(exp: Experiment): Problems {
  const out: Problems = {}
  const network = networkProblem(exp.network)
  if (network) {
    out[network.field] = network.problem
    return out
  }
  const { layers, bias } = exp.network
  const shape = shapeOf(layers)
  const goodSample: Sample = { inputs: new Array(layers[0]).fill(0), targets: new Array(layers[layers.length - 1]).fill(0) }
  const good: RunConfig = {
    network: exp.network,
    loss: exp.loss,
    samples: [goodSample],
    weights: new Array(shape.weightCount).fill(0),
    biases: new Array(bias === 'none' ? 0 : shape.neuronCount).fill(0),
    learningRate: 1,
    momentum: 0,
    epochs: 1,
    stopBelow: 0,
  }
  const check = (patch: Partial<RunConfig>, rename: (field: string) => string = (f) => f): void => {
    const p = runConfigProblem({ ...good, ...patch })
    if (p) out[rename(p.field)] ??= p.problem
  }
  check({})
  if (Object.keys(out).length) return out // the loss does not fit the network: nothing else is checkable
  if (!Array.isArray(exp.samples) || exp.samples.length === 0) out.samples = 'needs at least one sample'
  else exp.samples.forEach((sample, s) => check({ samples: [sample] }, (f) => f.replace(/^samples\[0\]/, `samples[${s}]`)))
  try {
    const { weights, biases } = initialParameters(exp)
    check({ weights, biases })
  } catch (e) {
    out.init = (e as Error).message
  }
  exp.training.learningRates.forEach((learningRate, i) =>
    check({ learningRate }, (f) => f.replace('training.learningRate', `training.learningRates[${i}]`))
  )
  check({ epochs: exp.training.epochs })
  check({ stopBelow: exp.training.stopBelow })
  check({ momentum: exp.training.momentum })
  return out
}

export function experimentProblems(exp: Experiment): Problems {
  return { ...engineProblems(exp), ...schemaProblems(exp) }
}

/** Readable name of a field path, for "Train is disabled: …". */
export function fieldLabel(path: string): string {
  return path
    .replace(/^network\.layers\[(\d+)\]/, (_, l) => `layer ${Number(l) + 1} size`)
    .replace(/^network\.activations\[(\d+)\]/, (_, l) => `layer ${Number(l) + 2} activation`)
    .replace(
      /^samples\[(\d+)\]\.(inputs|targets)(\[(\d+)\])?/,
      (_, s, kind, _i, i) => `sample ${Number(s) + 1} ${kind}${i === undefined ? '' : ` ${kind === 'inputs' ? 'i' : 't'}${Number(i) + 1}`}`
    )
    .replace(/^init\.weights\[(\d+)\]/, (_, w) => `w${Number(w) + 1}`)
    .replace(/^init\.biases\[(\d+)\]/, (_, b) => `b${Number(b) + 1}`)
    .replace(/^training\.learningRates\[(\d+)\]/, (_, i) => `learning rate ${Number(i) + 1}`)
    .replace(/^training\.learningRates$/, 'learning rates')
    .replace(/^training\.epochs$/, 'epochs')
    .replace(/^training\.stopBelow$/, 'stop threshold')
    .replace(/^training\.momentum$/, 'momentum')
}
