import type { Parsed } from '../experiment'
import type { FileStamp } from '../ipc'
import { canonicalJson } from './canonical-json'
import { parseDocument, parseDocumentText } from './parse'
import { documentData } from './serialize'
import { LIMITS } from '../limits'
import type { ExperimentDocument } from './schema'

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
  /**
   * What the window last read or wrote of `path` (size, mtime, SHA-256): tells whether the file
   * changed after the work was autosaved. Null when unknown (never saved, the browser, or a copy
   * written before this field existed).
   */
  file: FileStamp | null
  document: ExperimentDocument
}

export function recoveryText(recovery: Recovery): string {
  const { savedAt, path, name, file, document } = recovery
  // canonicalJson, not JSON.stringify: it keeps −0 in the recovered values.
  return canonicalJson({ format: RECOVERY_FORMAT, version: 1, savedAt, path, name, file, document: documentData({ ...document, results: [] }) })
}

/** Never throws; anything that is not a good recovery file gives one message. */
export function parseRecoveryText(text: string): Parsed<Recovery> {
  if (typeof text !== 'string' || text.length > LIMITS.maxFileBytes) return { ok: false, error: 'recovery: is too large' }
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
  return {
    ok: true,
    value: { savedAt: text_(data.savedAt) ?? '', path: text_(data.path), name: text_(data.name), file: stampOf(data.file), document: doc.value },
  }
}

/** A stamp as written by recoveryText; anything else (or a copy without one) is unknown. */
function stampOf(x: unknown): FileStamp | null {
  const s = x as Partial<FileStamp> | null
  return s !== null &&
    typeof s === 'object' &&
    Number.isSafeInteger(s.size) &&
    Number.isFinite(s.mtimeMs) &&
    typeof s.sha256 === 'string' &&
    /^([0-9a-f]{64})?$/.test(s.sha256)
    ? { size: s.size!, mtimeMs: s.mtimeMs!, sha256: s.sha256 }
    : null
}

/**
 * The banner's warning when the recovered work's file changed on disk after the work was
 * autosaved (`disk`: its stamp now, from the shell; undefined when the shell cannot tell).
 * Compared by content when the copy knows what the file held, else by time.
 */
export function recoveryFileChanged(recovery: Recovery, disk: FileStamp | null | undefined): string | null {
  if (!recovery.path || !disk) return null
  const changed = recovery.file
    ? disk.size !== recovery.file.size || disk.sha256 !== recovery.file.sha256
    : disk.mtimeMs > Date.parse(recovery.savedAt)
  if (!changed) return null
  const when = new Date(disk.mtimeMs).toLocaleString()
  return `“${recovery.name ?? recovery.path}” was changed on disk (${when}) after this work was autosaved. Recovering does not overwrite it: Save asks first.`
}
