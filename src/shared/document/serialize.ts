import { OPTIMIZER_DEFAULTS, type Optimizer, type RunConfig, type StopReason } from '../engine/types'
import { runConfigs, type Experiment } from '../experiment'
import { OPTIMIZER_DEFS } from '../math/optimizers'
import { canonicalJson, jsonNumbers, jsonScalar } from './canonical-json'
import { contentHash } from './hash'
import { APP_NAME, APP_VERSION, DOCUMENT_FIELDS, DOCUMENT_VERSION, type ExperimentDocument, type RunRecord } from './schema'

/**
 * The optimizer as a file holds it: `{ "kind": "sgd" }` rather than five values sgd never reads.
 * The hyper-parameters its update uses are written even at their defaults so a reader sees the
 * values in force; the others are written only when they differ from the default.
 */
function optimizerData(optimizer: Optimizer): Record<string, unknown> {
  const out: Record<string, unknown> = { ...optimizer }
  const hypers: readonly string[] = OPTIMIZER_DEFS[optimizer.kind].hypers
  for (const [key, value] of Object.entries(OPTIMIZER_DEFAULTS)) if (!hypers.includes(key) && out[key] === value) delete out[key]
  return out
}

/**
 * The plain JSON object of a document, in the order a reader expects, without the hash. An
 * experiment with `data` is saved as its spec: its samples are generated again when it is read.
 */
export function documentData(doc: ExperimentDocument): Record<string, unknown> {
  const { format, version: _version, name, network, loss, data, samples, test, features, init, training, ...rest } = doc.experiment
  void _version
  const out: Record<string, unknown> = {
    format,
    version: DOCUMENT_VERSION,
    app: doc.app,
    created: doc.created,
    modified: doc.modified,
    name,
    notes: doc.notes,
    network,
    loss,
  }
  if (data) out.data = data
  else {
    out.samples = samples
    if (test.length > 0) out.test = test
  }
  if (features) out.features = features
  out.init = init
  out.training = { ...training, optimizer: optimizerData(training.optimizer) }
  for (const [key, value] of Object.entries(rest)) if (!(DOCUMENT_FIELDS as readonly string[]).includes(key)) out[key] = value
  out.results = doc.results.map((r) => ({
    learningRate: r.learningRate,
    stopReason: { kind: r.stopReason.kind, epochs: r.stopReason.epochs, message: r.stopReason.message },
    weights: r.weights,
    biases: r.biases,
    losses: r.losses,
  }))
  return out
}

/** The file's text: indented JSON with number lists on one line, ending with the content hash. */
export function serializeDocument(doc: ExperimentDocument): string {
  const data = documentData(doc)
  data.hash = contentHash(data)
  return pretty(data, '') + '\n'
}

const INLINE_WIDTH = 100

function pretty(value: unknown, indent: string): string {
  if (ArrayBuffer.isView(value)) return jsonNumbers(value as Float64Array, ', ')
  if (value === null || typeof value !== 'object') return jsonScalar(value)
  const short = inline(value, INLINE_WIDTH)
  if (short !== null) return short
  const inner = indent + '  '
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'number')) return jsonNumbers(value, ', ')
    if (value.every((x) => x === null || typeof x !== 'object')) return '[' + value.map(jsonScalar).join(', ') + ']'
    return '[\n' + value.map((x) => inner + pretty(x, inner)).join(',\n') + '\n' + indent + ']'
  }
  const entries = Object.entries(value).filter(([, x]) => x !== undefined)
  return '{\n' + entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(',\n') + '\n' + indent + '}'
}

/** One-line form of a small value, or null once it would pass `budget` characters. */
function inline(value: unknown, budget: number): string | null {
  if (ArrayBuffer.isView(value)) {
    if ((value as Float64Array).length * 3 > budget) return null
    value = Array.from(value as Float64Array)
  }
  if (value === null || typeof value !== 'object') {
    const s = jsonScalar(value)
    return s.length <= budget ? s : null
  }
  const isArray = Array.isArray(value)
  const items = isArray ? (value as unknown[]) : Object.entries(value).filter(([, x]) => x !== undefined)
  if (items.length * 3 > budget) return null
  const parts: string[] = []
  let used = 4
  for (const item of items) {
    const part = isArray ? inline(item, budget - used) : inlineEntry(item as [string, unknown], budget - used)
    if (part === null) return null
    used += part.length + 2
    if (used > budget) return null
    parts.push(part)
  }
  if (isArray) return '[' + parts.join(', ') + ']'
  return parts.length === 0 ? '{}' : '{ ' + parts.join(', ') + ' }'
}

function inlineEntry([key, value]: [string, unknown], budget: number): string | null {
  const k = JSON.stringify(key) + ': '
  const v = inline(value, budget - k.length)
  return v === null ? null : k + v
}

/** What the document needs of a trained run (the training store's runs have this shape). */
export interface RunLike {
  learningRate: number
  losses: ArrayLike<number>
  weights: ArrayLike<number>
  biases: ArrayLike<number>
  /** null while the run has not ended: saved as stopped after the epochs it has. */
  stopReason: StopReason | null
  /** The configuration the run was trained with, when known: results of another one are not saved. */
  config?: RunConfig
}

/**
 * Builds the document to save. Runs are kept only when they belong to this configuration (one per
 * learning rate, same rates, right parameter counts); results of a configuration edited since
 * training would not match it on reopening, so they are left out rather than saved wrong.
 */
export function documentFromRuns(
  experiment: Experiment,
  runs: readonly RunLike[],
  meta: { notes?: string; created?: string | null; now?: Date } = {}
): ExperimentDocument {
  const now = (meta.now ?? new Date()).toISOString()
  return {
    app: { name: APP_NAME, version: APP_VERSION },
    created: meta.created ?? now,
    modified: now,
    notes: meta.notes ?? '',
    experiment,
    results: resultsFor(experiment, runs),
  }
}

function resultsFor(experiment: Experiment, runs: readonly RunLike[]): RunRecord[] {
  const configs = runConfigs(experiment)
  if (runs.length !== configs.length) return []
  const results: RunRecord[] = []
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]
    const config = configs[i]
    const epochs = run.losses.length
    if (
      run.learningRate !== config.learningRate ||
      run.weights.length !== config.weights.length ||
      run.biases.length !== config.biases.length
    )
      return []
    if (epochs > config.epochs) return []
    if (run.config && canonicalJson(run.config) !== canonicalJson(config)) return []
    const stopReason: StopReason = run.stopReason
      ? { ...run.stopReason, epochs }
      : { kind: 'stopped', epochs, message: `Saved after ${epochs} epochs, before the run ended.` }
    results.push({
      learningRate: run.learningRate,
      stopReason,
      weights: Array.from(run.weights),
      biases: Array.from(run.biases),
      losses: Float64Array.from(run.losses),
    })
  }
  return results
}
