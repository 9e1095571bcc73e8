import * as v from 'valibot'
import { biasCount, weightCount } from '../engine/shape'
import { EXPERIMENT_FORMAT, parseExperiment, type Experiment } from '../experiment'
import { issueLine, quoted } from '../issue-line'
import { fileBytes, LIMITS, megabytes } from '../limits'
import { contentHash } from './hash'
import { migrate } from './migrate'
import {
  DOCUMENT_FIELDS,
  DOCUMENT_VERSION,
  DocumentFieldsSchema,
  type ExperimentDocument,
  type ParsedDocument,
  type RunRecord,
} from './schema'

/**
 * Reads a document of any format version. Never throws: every problem becomes one message that
 * names the field and says what is wrong with it, so the app can show it and keep what is open.
 */
export function parseDocumentText(text: string): ParsedDocument {
  try {
    return parseText(text)
  } catch (e) {
    // Nothing above is expected to throw; if something does, the user still gets a sentence.
    return fail('file', `could not be read (${e instanceof Error ? e.message : String(e)})`)
  }
}

/** The same checks for data that is already parsed (the recovery envelope holds a document object). */
export function parseDocument(data: unknown): ParsedDocument {
  try {
    // Whether it is an experiment at all comes first: a message about any other file (which could
    // hold anything, a key or a password) never quotes its content, not even its field names.
    const notOurs = formatProblem(data)
    if (notOurs) return notOurs
    const tooDeep = nestingProblem(data)
    return tooDeep ? { ok: false, error: tooDeep } : parseData(data as Record<string, unknown>)
  } catch (e) {
    return fail('file', `could not be read (${e instanceof Error ? e.message : String(e)})`)
  }
}

const fail = (field: string, problem: string): { ok: false; error: string } => ({ ok: false, error: `${field}: ${problem}` })

const NON_FINITE = '\u0000non-finite:'

function parseText(text: string): ParsedDocument {
  if (typeof text !== 'string') return fail('file', 'is not text')
  // Bytes of UTF-8, as on disk: the one limit for save and open, so whatever saves reopens.
  const bytes = fileBytes(text)
  if (bytes > LIMITS.maxFileBytes) return fail('file', `is ${megabytes(bytes)} MB; files up to ${megabytes(LIMITS.maxFileBytes)} MB can be opened`)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') return fail('file', 'is empty')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    // JSON has no NaN or Infinity. When those words are the only problem, say which field holds one.
    const named = nonFiniteField(text)
    return named ?? fail('file', `is not valid JSON: ${jsonProblem((e as Error).message, text)}`)
  }
  return parseDocument(data)
}

/** V8's JSON message without the copy of the text it may quote, and with a line and column. */
function jsonProblem(message: string, text: string): string {
  const quoted = message.indexOf(', "')
  let problem = (quoted > 0 && message.endsWith('is not valid JSON') ? message.slice(0, quoted) : message)
    .replace(/ at position \d+.*$/, '')
    .replace(/ in JSON$/, '')
    // The token is the file's content; the line and column say where it is.
    .replace(/^Unexpected token .*$/s, 'Unexpected character')
  // Control characters would break the one-line message; they are shown escaped.
  let plain = ''
  for (const c of problem) plain += c < ' ' || c === '\u007f' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c
  problem = plain.slice(0, 120)
  const position = /at position (\d+)/.exec(message)
  if (!position) return problem
  const before = text.slice(0, Number(position[1]))
  const line = before.split('\n').length
  return `${problem} at line ${line}, column ${before.length - before.lastIndexOf('\n')}`
}

/** Replaces bare NaN / Infinity tokens outside strings by marker strings and looks for the first one. */
function nonFiniteField(text: string): { ok: false; error: string } | null {
  let out = ''
  let last = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === 'N' || c === 'I' || c === '-' || c === '+') {
      const m = /^[-+]?(NaN|Infinity)/.exec(text.slice(i, i + 10))
      if (m) {
        out += text.slice(last, i) + JSON.stringify(NON_FINITE + m[0])
        i += m[0].length - 1
        last = i + 1
      }
    }
  }
  if (last === 0) return null
  let data: unknown
  try {
    data = JSON.parse(out + text.slice(last))
  } catch {
    return null
  }
  // Field names are content too: named only in an experiment.
  if (formatProblem(data)) return null
  const found = findValue(data, (x) => typeof x === 'string' && x.startsWith(NON_FINITE))
  if (!found) return null
  const word = (found.value as string).slice(NON_FINITE.length)
  return fail(found.path, `${word} is not a number a file can hold; write a finite number`)
}

/** Depth-first search without recursion (the data may be nested a million levels deep). */
function findValue(data: unknown, test: (x: unknown) => boolean): { path: string; value: unknown } | null {
  const stack: { value: unknown; path: string }[] = [{ value: data, path: '' }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (test(value)) return { path: path || 'file', value }
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` })
    else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value)
      for (let k = keys.length - 1; k >= 0; k--)
        stack.push({ value: (value as Record<string, unknown>)[keys[k]], path: path ? `${path}.${keys[k]}` : keys[k] })
    }
  }
  return null
}

/** Names the first place nested deeper than the limit, without recursion. */
function nestingProblem(data: unknown): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: data, depth: 0, path: '' }]
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth >= LIMITS.maxDepth)
      return `${path}: is nested more than ${LIMITS.maxDepth} levels deep; an experiment file never needs more than a few`
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        if (value[i] !== null && typeof value[i] === 'object') stack.push({ value: value[i], depth: depth + 1, path: `${path}[${i}]` })
    } else
      for (const [key, child] of Object.entries(value))
        if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key })
  }
  return null
}

/** What kind of value, without its content: for fields of a file not yet known to be an experiment. */
function kindOf(x: unknown): string {
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'a list'
  if (typeof x === 'string') return 'text'
  if (typeof x === 'object') return 'an object'
  return typeof x === 'number' ? 'a number' : String(typeof x === 'boolean' ? x : typeof x)
}

/** A file that is not an experiment: one sentence that quotes nothing of it. */
function formatProblem(data: unknown): { ok: false; error: string } | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return fail('file', `must be a JSON object (got ${kindOf(data)})`)
  const format = (data as Record<string, unknown>).format
  if (format === undefined) return fail('format', `is missing; an experiment file starts with "format": "${EXPERIMENT_FORMAT}"`)
  if (format !== EXPERIMENT_FORMAT) return fail('format', `must be "${EXPERIMENT_FORMAT}" (got ${kindOf(format)}); this is not a Backprop Lab experiment`)
  return null
}

function describe(x: unknown): string {
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'a list'
  if (typeof x === 'string') return quoted(x)
  if (typeof x === 'object') return 'an object'
  return String(x)
}

/** A JSON object whose format is the experiment's (formatProblem said so). */
function parseData(raw: Record<string, unknown>): ParsedDocument {
  const version = raw.version
  if (version === undefined) return fail('version', 'is missing')
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail('version', `must be a whole number from 1 to ${DOCUMENT_VERSION} (got ${describe(version)})`)
  if (version > DOCUMENT_VERSION)
    return fail(
      'version',
      `this file was written in format version ${version} by a newer Backprop Lab; this app reads versions 1 to ${DOCUMENT_VERSION}. Update Backprop Lab to open it`
    )

  const notices: string[] = []
  let hash: 'ok' | 'missing' | 'mismatch' = 'missing'
  if (version < DOCUMENT_VERSION)
    notices.push(`This file was written in format version ${version}; it will be saved in version ${DOCUMENT_VERSION}.`)
  // Version 2 brought the hash: it is checked over the file as written, before any migration.
  if (version >= 2 && typeof raw.hash === 'string') {
    hash = contentHash(raw) === raw.hash ? 'ok' : 'mismatch'
    if (hash === 'mismatch')
      notices.push('The content hash does not match: the file was changed outside Backprop Lab. It was checked like any other file.')
  }
  const current = migrate(raw, version)

  const fieldsInput: Record<string, unknown> = {}
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(current)) {
    if ((DOCUMENT_FIELDS as readonly string[]).includes(key)) fieldsInput[key] = value
    else config[key] = value
  }
  const fields = v.safeParse(DocumentFieldsSchema, fieldsInput, { abortEarly: true })
  if (!fields.success) return { ok: false, error: issueLine(fields.issues[0]) }

  // A file holds either the generator's spec or the samples, never both: which would be meant?
  if (config.data !== undefined)
    for (const key of ['samples', 'test'])
      if (config[key] !== undefined) return fail(key, 'must be left out when data is given: the samples are generated from data')
  for (const key of ['network', 'init', 'training']) if (config[key] === undefined) return fail(key, 'is missing')
  const experiment = parseExperiment({ ...config, version: DOCUMENT_VERSION })
  if (!experiment.ok) return experiment

  const results: RunRecord[] = []
  for (let i = 0; i < fields.output.results.length; i++) {
    const run = resultProblemOrRecord(fields.output.results[i], i, experiment.value)
    if (typeof run === 'string') return { ok: false, error: run }
    results.push(run)
  }
  const rates = experiment.value.training.learningRates
  if (results.length > 0 && results.length !== rates.length)
    return fail('results', `has ${results.length} runs but training.learningRates has ${rates.length}; there is one run per learning rate`)

  const { app, created, modified, notes } = fields.output
  const doc: ExperimentDocument = {
    app: app ? { name: app.name, version: app.version } : null,
    created: created ?? null,
    modified: modified ?? null,
    notes,
    experiment: experiment.value,
    results,
  }
  return { ok: true, value: doc, info: { fileVersion: version, hash, notices } }
}

type RunInput = v.InferOutput<typeof DocumentFieldsSchema>['results'][number]

function resultProblemOrRecord(run: RunInput, i: number, exp: Experiment): RunRecord | string {
  const at = `results[${i}]`
  const rates = exp.training.learningRates
  if (i >= rates.length) return `results: has more runs than training.learningRates (${rates.length})`
  if (run.learningRate !== rates[i]) return `${at}.learningRate: is ${run.learningRate} but training.learningRates[${i}] is ${rates[i]}`
  const layers = exp.network.layers
  const wanted = weightCount(layers)
  if (run.weights.length !== wanted)
    return `${at}.weights: needs ${wanted} values for layers ${layers.join('-')}, got ${run.weights.length}`
  const wantedBiases = biasCount(exp.network)
  if (run.biases.length !== wantedBiases)
    return `${at}.biases: needs ${wantedBiases} values (bias "${exp.network.bias}", layers ${layers.join('-')}), got ${run.biases.length}`
  const losses = new Float64Array(run.losses.length)
  for (let k = 0; k < run.losses.length; k++) {
    const x = run.losses[k]
    if (typeof x !== 'number' || !Number.isFinite(x)) return `${at}.losses[${k}]: must be a finite number (got ${describe(x)})`
    losses[k] = x
  }
  const { kind, epochs, message } = run.stopReason
  if (epochs > exp.training.epochs) return `${at}.stopReason.epochs: is ${epochs} but training.epochs is ${exp.training.epochs}`
  if (losses.length !== epochs)
    return `${at}.losses: has ${losses.length} values but stopReason.epochs is ${epochs}; there is one E_tot per epoch`
  return {
    learningRate: run.learningRate,
    stopReason: { kind, epochs, message },
    weights: [...run.weights],
    biases: [...run.biases],
    losses,
  }
}
