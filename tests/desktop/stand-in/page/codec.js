/* eslint-disable @typescript-eslint/no-unused-expressions, @typescript-eslint/explicit-function-return-type -- plain JavaScript, one function expression evaluated as text (no types, no statement) */
// The structured-clone codec shared by the stand-in's Node side and both worlds of every page.
// This file is one function expression, read as text and evaluated in each place, so it must not
// import anything. It encodes a value to JSON-safe data the way Electron's IPC (structured clone)
// and contextBridge copy values: prototypes are dropped, typed arrays, Dates, Maps, Sets, Errors,
// undefined, NaN and -0 survive; a function or promise is an error ("An object could not be
// cloned.") unless the caller supplies a handle for it (contextBridge proxies functions).
;(function standInCodec() {
  const CLONE_ERROR = 'An object could not be cloned.'
  const TYPED = [
    'Int8Array',
    'Uint8Array',
    'Uint8ClampedArray',
    'Int16Array',
    'Uint16Array',
    'Int32Array',
    'Uint32Array',
    'Float32Array',
    'Float64Array',
    'BigInt64Array',
    'BigUint64Array',
  ]
  // Node's Buffer and Chromium's native base64 are fast; the loops are the fallback.
  const toBase64 = (bytes) => {
    if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
    if (typeof bytes.toBase64 === 'function') return bytes.toBase64()
    let s = ''
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000))
    return btoa(s)
  }
  const fromBase64 = (text) => {
    if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'))
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text)
    const s = atob(text)
    const bytes = new Uint8Array(s.length)
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i)
    return bytes
  }
  const typedName = (value) => {
    if (!ArrayBuffer.isView(value) || value instanceof DataView) return null
    // A Node Buffer arrives in a renderer as a Uint8Array, as in Electron.
    for (const name of TYPED) if (value instanceof globalThis[name]) return name
    return null
  }

  /** hooks.fn(f) / hooks.promise(p) return a handle id, or are absent (then such values cannot be cloned). */
  function encode(value, hooks = {}, seen = new Set()) {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0))
          return { $: 'n', v: String(Object.is(value, -0) ? '-0' : value) }
        return value
      case 'undefined':
        return { $: 'u' }
      case 'bigint':
        return { $: 'b', v: String(value) }
      case 'function':
        if (hooks.fn) return { $: 'f', id: hooks.fn(value) }
        throw new Error(CLONE_ERROR)
      case 'symbol':
        throw new Error(CLONE_ERROR)
    }
    if (value === null) return null
    if (seen.has(value)) throw new Error(CLONE_ERROR)
    seen.add(value)
    try {
      const typed = typedName(value)
      if (typed) return { $: 't', k: typed, v: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
      if (value instanceof ArrayBuffer) return { $: 'ab', v: toBase64(new Uint8Array(value)) }
      if (value instanceof Date) return { $: 'd', v: value.getTime() }
      if (value instanceof RegExp) return { $: 're', v: value.source, f: value.flags }
      if (value instanceof Error) return { $: 'e', name: value.name, message: value.message }
      if (typeof Promise !== 'undefined' && value instanceof Promise) {
        if (hooks.promise) return { $: 'p', id: hooks.promise(value) }
        throw new Error(CLONE_ERROR)
      }
      if (value instanceof Map) return { $: 'm', v: [...value].map(([k, v]) => [encode(k, hooks, seen), encode(v, hooks, seen)]) }
      if (value instanceof Set) return { $: 's', v: [...value].map((v) => encode(v, hooks, seen)) }
      if (value instanceof WeakMap || value instanceof WeakSet) throw new Error(CLONE_ERROR)
      if (typeof Node !== 'undefined' && value instanceof Node) throw new Error(CLONE_ERROR)
      if (Array.isArray(value)) return { $: 'a', v: value.map((v) => encode(v, hooks, seen)) }
      const out = {}
      for (const key of Object.keys(value)) out[key] = encode(value[key], hooks, seen)
      return { $: 'o', v: out }
    } finally {
      seen.delete(value)
    }
  }

  /** hooks.fn(id) / hooks.promise(id) make the local stand-ins for the other side's functions and promises. */
  function decode(data, hooks = {}) {
    if (data === null || typeof data !== 'object') return data
    switch (data.$) {
      case 'n':
        return data.v === '-0' ? -0 : Number(data.v)
      case 'u':
        return undefined
      case 'b':
        return BigInt(data.v)
      case 'f':
        if (!hooks.fn) throw new Error(CLONE_ERROR)
        return hooks.fn(data.id)
      case 'p':
        if (!hooks.promise) throw new Error(CLONE_ERROR)
        return hooks.promise(data.id)
      case 't': {
        const bytes = fromBase64(data.v)
        const Type = globalThis[data.k]
        return new Type(bytes.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT)
      }
      case 'ab':
        return fromBase64(data.v).buffer
      case 'd':
        return new Date(data.v)
      case 're':
        return new RegExp(data.v, data.f)
      case 'e': {
        const error = new Error(data.message)
        if (data.name !== 'Error') error.name = data.name
        return error
      }
      case 'm':
        return new Map(data.v.map(([k, v]) => [decode(k, hooks), decode(v, hooks)]))
      case 's':
        return new Set(data.v.map((v) => decode(v, hooks)))
      case 'a':
        return data.v.map((v) => decode(v, hooks))
      case 'o': {
        const out = {}
        for (const key of Object.keys(data.v)) out[key] = decode(data.v[key], hooks)
        return out
      }
    }
    throw new Error(`unknown clone tag ${data.$}`)
  }

  return { encode, decode, CLONE_ERROR }
})
