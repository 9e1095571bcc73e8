import type { Parsed } from '../experiment'
import { canonicalJson } from './canonical-json'
import { parseDocument, parseDocumentText } from './parse'
import { documentData } from './serialize'
import { DOCUMENT_LIMITS, type ExperimentDocument } from './schema'

/**
 * What autosave keeps for crash recovery: the working document (configuration and notes; results
 * are recomputed, so they are left out to keep a 30-second write small) and where it came from.
 */
export const RECOVERY_FORMAT = 'backprop-lab.recovery'

export interface Recovery {
  savedAt: string
  /** The file the work belonged to (null when it was never saved, or in the browser). */
  path: string | null
  name: string | null
  document: ExperimentDocument
}

export function recoveryText(recovery: Recovery): string {
  const { savedAt, path, name, document } = recovery
  // canonicalJson, not JSON.stringify: it keeps −0 in the recovered values.
  return canonicalJson({ format: RECOVERY_FORMAT, version: 1, savedAt, path, name, document: documentData({ ...document, results: [] }) })
}

/** Never throws; anything that is not a good recovery file gives one message. */
export function parseRecoveryText(text: string): Parsed<Recovery> {
  if (typeof text !== 'string' || text.length > DOCUMENT_LIMITS.maxChars) return { ok: false, error: 'recovery: is too large' }
  // The same guards as a document (size, nesting, NaN) before the envelope is looked at.
  let data: Record<string, unknown>
  try {
    data = JSON.parse(text) as Record<string, unknown>
  } catch {
    const plain = parseDocumentText(text)
    return { ok: false, error: plain.ok ? 'recovery: is a document, not a recovery file' : `recovery: ${plain.error}` }
  }
  if (data === null || typeof data !== 'object' || data.format !== RECOVERY_FORMAT)
    return { ok: false, error: 'recovery: is not a Backprop Lab recovery file' }
  if (data.version !== 1) return { ok: false, error: `recovery.version: must be 1 (got ${String(data.version)})` }
  const doc = parseDocument(data.document)
  if (!doc.ok) return { ok: false, error: `recovery.document.${doc.error}` }
  const text_ = (x: unknown): string | null => (typeof x === 'string' ? x : null)
  return { ok: true, value: { savedAt: text_(data.savedAt) ?? '', path: text_(data.path), name: text_(data.name), document: doc.value } }
}
