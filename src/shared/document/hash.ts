/**
 * The content hash of a document. SHA-256 comes from @noble/hashes (audited, synchronous: the
 * parser and serializer that call it stay synchronous, and src/shared may use neither node:crypto
 * nor the asynchronous WebCrypto).
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { canonicalJson } from './canonical-json'

/** Characters encoded at a time: a 100 MB document never needs a second 100 MB byte copy. */
const SLICE_CHARS = 1 << 20

/** SHA-256 of the UTF-8 bytes of `text` (a lone surrogate as U+FFFD, as TextEncoder does), as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  const hash = sha256.create()
  const encoder = new TextEncoder()
  const bytes = new Uint8Array(Math.min(text.length, SLICE_CHARS) * 3) // UTF-8 takes at most 3 bytes per UTF-16 unit
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + SLICE_CHARS)
    // Never split a surrogate pair between two slices: each half alone would become U+FFFD.
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    const { written } = encoder.encodeInto(text.slice(i, end), bytes)
    hash.update(bytes.subarray(0, written))
    i = end
  }
  return bytesToHex(hash.digest())
}

export const HASH_PREFIX = 'sha256:'

/** The content hash stored in a document: SHA-256 of the canonical JSON of everything but `hash`. */
export function contentHash(raw: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = raw
  void _ignored
  return HASH_PREFIX + sha256Hex(canonicalJson(rest))
}
