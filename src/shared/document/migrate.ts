import { DOCUMENT_FIELDS, DOCUMENT_VERSION } from './schema'

/**
 * Brings a parsed file of any past format version up to the current one, one step at a time.
 * Each step takes and returns plain JSON data; validation happens after the last step.
 */
type Step = (data: Record<string, unknown>) => Record<string, unknown>

/**
 * 1 → 2: the configuration is unchanged. Version 1 kept unknown fields, so a version-1 file may
 * already hold a field that version 2 defines (say its own "notes" list); such fields move
 * under "legacy" rather than being lost or misread. No results, times or app are invented.
 */
function v1ToV2(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const legacy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if ((DOCUMENT_FIELDS as readonly string[]).includes(key) && !(key === 'notes' && typeof value === 'string')) legacy[key] = value
    else out[key] = value
  }
  if (Object.keys(legacy).length > 0) out.legacy = legacy
  out.version = 2
  out.app = null
  out.created = null
  out.modified = null
  out.notes = typeof data.notes === 'string' ? data.notes : ''
  out.results = []
  return out
}

/** Fields version 3 defines: at the top level, and inside `training`. */
const V3_FIELDS = ['data', 'test', 'features']
const V3_TRAINING = ['batchSize', 'shuffleSeed', 'optimizer', 'regularization']

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x)

/** Removes `keys` from `from` (those it has) and returns them, in `keys`' order, as an object. */
function take(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const taken: Record<string, unknown> = {}
  for (const key of keys)
    if (key in from) {
      taken[key] = from[key]
      delete from[key]
    }
  return taken
}

/**
 * 2 → 3: `training.momentum` μ becomes the optimizer it always was: `{ kind: "momentum",
 * momentum: μ }` (PyTorch's form gives the same iterates, docs/experiment-format.md), or plain
 * sgd for μ = 0. A μ that is not a number in [0, 1) stays where it is, so the reader names it as
 * the version-2 field it is. Unknown version-2 fields that version 3 now defines move under
 * "legacy" (as in 1 → 2): a hand-written "data" list is not misread as a generator.
 */
function v2ToV3(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data, version: 3 }
  const legacy = take(out, V3_FIELDS)
  if (isObject(data.training)) {
    const training: Record<string, unknown> = { ...data.training }
    const moved = take(training, V3_TRAINING)
    if (Object.keys(moved).length > 0) legacy.training = moved
    const mu = training.momentum
    if (typeof mu === 'number' && Number.isFinite(mu) && mu >= 0 && mu < 1) {
      delete training.momentum
      training.optimizer = mu === 0 ? { kind: 'sgd' } : { kind: 'momentum', momentum: mu }
    }
    out.training = training
  }
  if (Object.keys(legacy).length > 0)
    out.legacy = isObject(out.legacy) ? { ...out.legacy, ...legacy } : out.legacy === undefined ? legacy : { legacy: out.legacy, ...legacy }
  return out
}

/** STEPS[n] turns version n into version n + 1. */
const STEPS: Record<number, Step> = { 1: v1ToV2, 2: v2ToV3 }

/** Migrates `data` (whose version is `from`, 1 ≤ from ≤ current) to the current version. */
export function migrate(data: Record<string, unknown>, from: number): Record<string, unknown> {
  let current = data
  for (let version = from; version < DOCUMENT_VERSION; version++) current = STEPS[version](current)
  return current
}
