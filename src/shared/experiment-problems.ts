import * as v from 'valibot'
import { shapeOf } from './engine/shape'
import { sheetTraining, type RunConfig, type Sample } from './engine/types'
import { LIMITS, networkProblem, runConfigProblem, sampleProblem } from './engine/validate'
import { dataProblem, ExperimentSchema, initialParameters, SampleSchema, type Experiment } from './experiment'
import { featureValues } from './data/features'
import { ACTIVATION_DEFS, type Activation } from './math/activations'
import { fieldProblem } from './issue-line'

/**
 * Every problem of an experiment, keyed by field path (`network.layers[1]`, `samples[0].targets`,
 * `training.learningRates[2]`), so the editor can flag each field with its reason. The experiment
 * schema finds type and range problems; the engine's own validator finds what depends on the
 * network (lengths, loss against output activation) — each part is checked with every other part
 * replaced by a value known to be good, so one bad field does not hide the others.
 */
export type Problems = Record<string, string>

function issueProblems(schema: v.GenericSchema, value: unknown, prefix = ''): Problems {
  const out: Problems = {}
  const result = v.safeParse(schema, value)
  if (result.success) return out
  for (const issue of result.issues) {
    const { field, problem } = fieldProblem(issue)
    out[prefix ? (field === 'file' ? prefix : `${prefix}${field.startsWith('[') ? '' : '.'}${field}`) : field] ??= problem
  }
  return out
}

const finiteList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))
/** Lists of finite numbers: what SampleSchema accepts, found without valibot's per-value work. */
const plainSample = (s: unknown): boolean => typeof s === 'object' && s !== null && finiteList((s as Sample).inputs) && finiteList((s as Sample).targets)

/** The schema's problems; the samples and test samples are checked one by one (see sampleProblems). */
function schemaProblems(exp: Experiment): Problems {
  if (!Array.isArray(exp.samples) || !Array.isArray(exp.test)) return issueProblems(ExperimentSchema, exp)
  const out = issueProblems(ExperimentSchema, { ...exp, samples: [], test: [] })
  const check = (sample: Sample): Problems => (plainSample(sample) ? {} : issueProblems(SampleSchema, sample, 'samples[0]'))
  eachSampleProblem('samples', exp.samples, schemaCache, '', check, out)
  eachSampleProblem('test', exp.test, schemaCache, '', check, out)
  return out
}

/**
 * Problems of one sample (paths from `samples[0]`), remembered per sample object and network: at
 * the format's limits (10,240,000 values) checking every sample on each keystroke froze the
 * window, and an edit replaces only the sample it touches (stores/experiment.ts).
 */
type SampleCache = WeakMap<object, { context: string; problems: Problems }>
const schemaCache: SampleCache = new WeakMap()
const engineCache: SampleCache = new WeakMap()

function sampleProblems(cache: SampleCache, sample: Sample, context: string, check: (sample: Sample) => Problems): Problems {
  if (typeof sample !== 'object' || sample === null) return check(sample)
  const hit = cache.get(sample)
  if (hit && hit.context === context) return hit.problems
  const problems = check(sample)
  cache.set(sample, { context, problems })
  return problems
}

/** Adds every sample's problems to `out`, renamed from `samples[0]` to the list's name and the sample's index. */
function eachSampleProblem(list: 'samples' | 'test', samples: Sample[], cache: SampleCache, context: string, check: (sample: Sample) => Problems, out: Problems): void {
  samples.forEach((sample, s) => {
    for (const [path, problem] of Object.entries(sampleProblems(cache, sample, context, check))) out[path.replace(/^samples\[0\]/, `${list}[${s}]`)] ??= problem
  })
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
    ...sheetTraining(),
    epochs: 1,
    stopBelow: 0,
  }
  const check = (patch: Partial<RunConfig>, rename: (field: string) => string = (f) => f): void => {
    const p = runConfigProblem({ ...good, ...patch })
    if (p) out[rename(p.field)] ??= p.problem
  }
  check({})
  if (Object.keys(out).length) return out // the loss does not fit the network: nothing else is checkable
  const data = Array.isArray(exp.samples) && Array.isArray(exp.test) ? dataProblem(exp) : null
  if (data) out[data.field] = data.problem
  else if (!Array.isArray(exp.samples) || exp.samples.length === 0) out.samples = 'needs at least one sample'
  else {
    // The network and loss passed the check above: each sample is checked against them alone,
    // as the input layer sees it (its feature values when features are chosen).
    const { features } = exp
    const checkSample = (sample: Sample): Problems => {
      const seen = features ? { inputs: featureValues(features, sample.inputs), targets: sample.targets } : sample
      const p = sampleProblem(seen, 0, layers, exp.loss)
      return p ? { [p.field]: p.problem } : {}
    }
    const context = JSON.stringify([exp.network, exp.loss, features])
    eachSampleProblem('samples', exp.samples, engineCache, context, checkSample, out)
    if (Array.isArray(exp.test)) eachSampleProblem('test', exp.test, engineCache, context, checkSample, out)
  }
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
  const { optimizer, regularization, batchSize, shuffleSeed } = exp.training
  check({ optimizer, regularization, batchSize, shuffleSeed })
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

/** What the warning says of each output activation whose range (math/activations.ts) it checks targets against. */
const RANGE_SAYS: Partial<Record<Activation, string>> = {
  sigmoid: 'a sigmoid only gives values between 0 and 1',
  softmax: 'softmax only gives values between 0 and 1',
  tanh: 'tanh only gives values between −1 and 1',
  relu: 'ReLU never gives a value below 0',
}

/**
 * Warnings that do not stop training: targets the output activation can never reach, and why.
 * One warning a list (training samples, test samples) for all of them, at the first such target,
 * naming how many there are: generated data gives up to 2,000 samples, and a line per sample
 * buried the editor.
 */
export function experimentWarnings(exp: Experiment): Problems {
  const { activations } = exp.network
  const output = activations[activations.length - 1]
  const says = RANGE_SAYS[output]
  if (!says) return {}
  const [lo, hi] = ACTIVATION_DEFS[output].range
  const range = { lo, hi, says }
  const out: Problems = {}
  for (const list of ['samples', 'test'] as const) {
    const samples = exp[list]
    if (Array.isArray(samples)) Object.assign(out, unreachableTargets(list, samples, range))
  }
  return out
}

function unreachableTargets(list: 'samples' | 'test', samples: Sample[], range: { lo: number; hi: number; says: string }): Problems {
  let first: { s: number; k: number; t: number } | null = null
  let targets = 0
  let inSamples = 0
  for (let s = 0; s < samples.length; s++) {
    const before = targets
    const ts = samples[s].targets ?? []
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k]
      if (!Number.isFinite(t) || (t >= range.lo && t <= range.hi)) continue
      targets++
      first ??= { s, k, t }
    }
    if (targets > before) inSamples++
  }
  if (!first) return {}
  const { s, k, t } = first
  const noun = list === 'test' ? 'test sample' : 'sample'
  const why = `${range.says}, so out_o${k + 1} can only come close to ${t < range.lo ? range.lo : range.hi} and E_tot never reaches 0`
  const message =
    targets === 1
      ? `t${k + 1} = ${t} can never be reached: ${why}`
      : `${count(targets)} targets in ${count(inSamples)} ${inSamples === 1 ? noun : `${noun}s`} can never be reached, the first t${k + 1} = ${t} of ${noun} ${s + 1}: ${why}`
  return { [`${list}[${s}].targets[${k}]`]: message }
}

/** Readable name of a field path, for "Cannot train: …", with the editor's names for layers. */
export function fieldLabel(path: string, layerCount = 3): string {
  return path
    .replace(/^network\.layers\[(\d+)\]/, (_, l) => layerName(Number(l), layerCount))
    .replace(/^network\.activations\[(\d+)\]/, (_, l) => `${layerName(Number(l) + 1, layerCount)} activation`)
    .replace(
      /^(samples|test)\[(\d+)\]\.(inputs|targets)(\[(\d+)\])?/,
      (_, list, s, kind, _i, i) =>
        `${list === 'test' ? 'test sample' : 'sample'} ${Number(s) + 1} ${kind}${i === undefined ? '' : ` ${kind === 'inputs' ? 'i' : 't'}${Number(i) + 1}`}`
    )
    .replace(/^init\.weights\[(\d+)\]/, (_, w) => `w${Number(w) + 1}`)
    .replace(/^init\.biases\[(\d+)\]/, (_, b) => `b${Number(b) + 1}`)
    .replace(/^training\.learningRates\[(\d+)\]/, (_, i) => `learning rate ${Number(i) + 1}`)
    .replace(/^training\.learningRates$/, 'learning rates')
    .replace(/^training\.epochs$/, 'epochs')
    .replace(/^training\.stopBelow$/, 'stop threshold')
    .replace(/^training\.optimizer\.(\w+)$/, (_, key) => (key === 'kind' ? 'optimizer' : key))
    .replace(/^training\.regularization\.(\w+)$/, (_, key) => (key === 'kind' ? 'regularization' : 'regularization rate'))
    .replace(/^training\.batchSize$/, 'batch size')
    .replace(/^training\.shuffleSeed$/, 'shuffle seed')
}
