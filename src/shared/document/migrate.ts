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

/** STEPS[n] turns version n into version n + 1. */
const STEPS: Record<number, Step> = { 1: v1ToV2 }

/** Migrates `data` (whose version is `from`, 1 ≤ from ≤ current) to the current version. */
export function migrate(data: Record<string, unknown>, from: number): Record<string, unknown> {
  let current = data
  for (let version = from; version < DOCUMENT_VERSION; version++) current = STEPS[version](current)
  return current
}
