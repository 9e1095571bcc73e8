/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, because src/shared may use neither node:crypto nor
 * WebCrypto (async, and absent from some contexts). Input is a JS string, hashed as its UTF-8
 * bytes, streamed block by block so a 100 MB document never needs a second 100 MB byte copy.
 */
// Int32Array, not Uint32Array: values stay 32-bit integers in the JIT instead of becoming doubles.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

class Sha256 {
  private readonly h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  private readonly block = new Uint8Array(64)
  private readonly w = new Int32Array(64)
  private used = 0
  private bytes = 0

  push(byte: number): void {
    this.block[this.used++] = byte
    this.bytes++
    if (this.used === 64) this.compress()
  }

  /** Appends the UTF-8 encoding of `text`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
  pushString(text: string): void {
    const block = this.block
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i)
      if (c < 0x80) {
        // ASCII, nearly all of a document: straight into the block.
        block[this.used++] = c
        this.bytes++
        if (this.used === 64) this.compress()
        continue
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
          i++
        } else c = 0xfffd
      }
      if (c < 0x80) this.push(c)
      else if (c < 0x800) {
        this.push(0xc0 | (c >> 6))
        this.push(0x80 | (c & 63))
      } else if (c < 0x10000) {
        this.push(0xe0 | (c >> 12))
        this.push(0x80 | ((c >> 6) & 63))
        this.push(0x80 | (c & 63))
      } else {
        this.push(0xf0 | (c >> 18))
        this.push(0x80 | ((c >> 12) & 63))
        this.push(0x80 | ((c >> 6) & 63))
        this.push(0x80 | (c & 63))
      }
    }
  }

  hex(): string {
    const bits = this.bytes * 8
    this.push(0x80)
    while (this.used !== 56) this.push(0)
    // Message length in bits, big-endian 64-bit; strings here stay far below 2^53 bits.
    const high = Math.floor(bits / 4294967296)
    for (const word of [high, bits >>> 0]) for (let s = 24; s >= 0; s -= 8) this.push((word >>> s) & 255)
    let out = ''
    for (const x of this.h) out += (x >>> 0).toString(16).padStart(8, '0')
    return out
  }

  private compress(): void {
    const { w, block, h } = this
    for (let i = 0; i < 16; i++) w[i] = (block[4 * i] << 24) | (block[4 * i + 1] << 16) | (block[4 * i + 2] << 8) | block[4 * i + 3]
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]
      const b = w[i - 2]
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0
    }
    let a = h[0]
    let b = h[1]
    let c = h[2]
    let d = h[3]
    let e = h[4]
    let f = h[5]
    let g = h[6]
    let hh = h[7]
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      hh = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h[0] += a
    h[1] += b
    h[2] += c
    h[3] += d
    h[4] += e
    h[5] += f
    h[6] += g
    h[7] += hh
    this.used = 0
  }
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  const hash = new Sha256()
  hash.pushString(text)
  return hash.hex()
}

/**
 * One JSON value as the files write it: JSON.stringify's form, except that −0 stays "-0" (which
 * JSON.parse reads back as −0), so a saved weight or input keeps its exact bits.
 */
export function jsonScalar(value: unknown): string {
  return Object.is(value, -0) ? '-0' : (JSON.stringify(value) ?? 'null')
}

/** A list of numbers joined by `separator`: the native serializer in one go unless a −0 needs care. */
export function jsonNumbers(values: ArrayLike<number>, separator: string): string {
  const list = Array.isArray(values) ? (values as number[]) : Array.from(values)
  if (!list.some((x) => Object.is(x, -0))) {
    const s = JSON.stringify(list)
    return separator === ',' ? s : s.split(',').join(separator) // numbers hold no commas
  }
  return '[' + list.map(jsonScalar).join(separator) + ']'
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, values as jsonScalar
 * writes them. Two files with the same content have the same canonical form, however they are
 * indented. Depth is bounded by the parser's nesting limit before this is called.
 */
export function canonicalJson(value: unknown): string {
  if (ArrayBuffer.isView(value)) return jsonNumbers(value as Float64Array, ',')
  if (Array.isArray(value)) {
    // A list of numbers (the E_tot series) is written by the native serializer in one go.
    if (value.every((x) => typeof x === 'number')) return jsonNumbers(value, ',')
    return '[' + value.map(canonicalJson).join(',') + ']'
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}'
  }
  return jsonScalar(value)
}

export const HASH_PREFIX = 'sha256:'

/** The content hash stored in a document: SHA-256 of the canonical JSON of everything but `hash`. */
export function contentHash(raw: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = raw
  void _ignored
  return HASH_PREFIX + sha256Hex(canonicalJson(rest))
}
