import * as v from 'valibot'
import { shapeOf } from '@shared/engine/shape'
import type { RunConfig, Sample } from '@shared/engine/types'
import { LIMITS, networkProblem, runConfigProblem } from '@shared/engine/validate'
import { ExperimentSchema, initialParameters, type Experiment } from '@shared/experiment'

/**
 * Every problem of an experiment, keyed by field path (`network.layers[1]`, `samples[0].targets`,
 * `training.learningRates[2]`), so the editor can flag each field with its reason. The experiment
 * schema finds type and range problems; the engine's own validator finds what depends on the
 * network (lengths, loss against output activation) — each part is checked with every other part
 * replaced by a value known to be good, so one bad field does not hide the others.
 */
export type Problems = Record<string, string>

function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = ''
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key
    path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key)
  }
  return path || 'file'
}

function schemaProblems(exp: Experiment): Problems {
  const out: Problems = {}
  const result = v.safeParse(ExperimentSchema, exp)
  if (result.success) return out
  for (const issue of result.issues) {
    // A union reports its branches' issues; the deepest one names the field best.
    const deepest = issue.issues?.reduce((a, b) => ((b.path?.length ?? 0) > (a.path?.length ?? 0) ? b : a)) ?? issue
    const path = pathOf(deepest)
    out[path] ??= deepest.message
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
  const all = { ...engineProblems(exp), ...schemaProblems(exp) }
  for (const path of Object.keys(all)) all[path] = forPeople(valueAt(exp, path), path, all[path])
  return all
}

/** The value at a field path (`samples[0].targets[1]`), or undefined. */
function valueAt(exp: Experiment, path: string): unknown {
  let at: unknown = exp
  for (const key of path.match(/[^.[\]]+/g) ?? []) at = at == null ? undefined : (at as Record<string, unknown>)[key]
  return at
}

const count = (n: number): string => n.toLocaleString()

/**
 * A problem said for a person typing into the field, not for a programmer: what to type instead.
 * The validators' wording stays for files and the CLI; the editor's fields get these.
 */
export function forPeople(value: unknown, path: string, message: string): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'enter a number'
    if (path === 'training.epochs' && value > LIMITS.maxEpochs) return `too large (at most ${count(LIMITS.maxEpochs)})`
    if (/^network\.layers\[/.test(path) && value > LIMITS.maxNeurons) return `too large (at most ${count(LIMITS.maxNeurons)} neurons)`
    if (value === Infinity) return 'too large'
    if (value === -Infinity) return 'too small'
  }
  return message
    .replace(/ \(got [^)]*\)$/, '')
    .replace(/^must be a finite number/, 'must be a number')
    .replace(/^must be a whole number of neurons ≥ 1$/, 'must be a whole number, at least 1')
}

/** The editor's name for layer `l` of `count` layers: Inputs, Hidden (Hidden 1, 2… with several), Outputs. */
export function layerName(l: number, count: number): string {
  if (l === 0) return 'Inputs'
  if (l === count - 1) return 'Outputs'
  return count === 3 ? 'Hidden' : `Hidden ${l}`
}

/** What each output activation can produce; a target outside it can never be reached. */
const OUTPUT_RANGE: Partial<Record<string, { lo: number; hi: number; says: string }>> = {
  sigmoid: { lo: 0, hi: 1, says: 'a sigmoid only gives values between 0 and 1' },
  softmax: { lo: 0, hi: 1, says: 'softmax only gives values between 0 and 1' },
  tanh: { lo: -1, hi: 1, says: 'tanh only gives values between −1 and 1' },
  relu: { lo: 0, hi: Infinity, says: 'ReLU never gives a value below 0' },
}

/** Warnings that do not stop training: targets the output activation can never reach, and why. */
export function experimentWarnings(exp: Experiment): Problems {
  const out: Problems = {}
  const { activations } = exp.network
  const range = OUTPUT_RANGE[activations[activations.length - 1]]
  if (!range || !Array.isArray(exp.samples)) return out
  exp.samples.forEach((s, i) =>
    s.targets?.forEach((t, k) => {
      if (Number.isFinite(t) && (t < range.lo || t > range.hi))
        out[`samples[${i}].targets[${k}]`] =
          `t${k + 1} = ${t} can never be reached: ${range.says}, so out_o${k + 1} can only come close to ${t < range.lo ? range.lo : range.hi} and E_tot never reaches 0`
    })
  )
  return out
}

/** Readable name of a field path, for "Cannot train: …", with the editor's names for layers. */
export function fieldLabel(path: string, layerCount = 3): string {
  return path
    .replace(/^network\.layers\[(\d+)\]/, (_, l) => layerName(Number(l), layerCount))
    .replace(/^network\.activations\[(\d+)\]/, (_, l) => `${layerName(Number(l) + 1, layerCount)} activation`)
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
