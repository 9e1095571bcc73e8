/* eslint-disable @typescript-eslint/no-unused-expressions, @typescript-eslint/explicit-function-return-type -- plain JavaScript, one function expression evaluated as text (no types, no statement) */
// contextBridge's two halves: one runs in the preload's isolated world, one in the page's main world.
// Worlds share the DOM but no JavaScript objects, so values cross in the detail of synchronous DOM
// events on `document` (dispatchEvent runs the other world's listener before it returns). As in
// Electron, data is copied, functions become proxies that call back into the world that owns them,
// and promises become promises that settle when the original does. One function expression, no imports.
;(function standInBridge(codec, sendName, receiveName) {
  let nextHandle = 1
  let nextCall = 1
  const results = new Map()
  const remotePromises = new Map()
  let onExpose = null

  const HANDLE = '__electronStandInHandle'
  const own = new Map() // handle id → this world's function or promise
  const keep = (value) => {
    const id = nextHandle++
    own.set(id, value)
    return id
  }
  /**
   * Copies `value` for the other world: functions and promises become handles, plain objects and
   * arrays are copied key by key (a Proxy, a class instance: own enumerable keys only, as Electron
   * does), and the rest (typed arrays, Dates, Maps, Errors…) is left to the event's structured clone.
   */
  const pass = (value, seen = new Set()) => {
    if (typeof value === 'function') return { [HANDLE]: 'f', id: keep(value) }
    if (typeof value === 'symbol') throw new Error(codec.CLONE_ERROR)
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
    if (value instanceof Promise) {
      const id = keep(value)
      value.then(
        (v) => post({ t: 'settle', id, ok: true, value: pass(v) }),
        (e) => post({ t: 'settle', id, ok: false, value: pass(e instanceof Error ? e : new Error(String(e))) })
      )
      return { [HANDLE]: 'p', id }
    }
    if (value instanceof Date || value instanceof RegExp || value instanceof Error || value instanceof Map || value instanceof Set)
      return value
    if (seen.has(value)) throw new Error(codec.CLONE_ERROR)
    seen.add(value)
    const out = Array.isArray(value) ? value.map((v) => pass(v, seen)) : {}
    if (!Array.isArray(value)) for (const key of Object.keys(value)) out[key] = pass(value[key], seen)
    seen.delete(value)
    return out
  }
  const receive = (value) => {
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
    if (value[HANDLE] === 'f') return proxyFor(value.id)
    if (value[HANDLE] === 'p') return new Promise((resolve, reject) => remotePromises.set(value.id, { resolve, reject }))
    if (Array.isArray(value)) return value.map(receive)
    if (Object.getPrototypeOf(value) !== Object.prototype) return value
    for (const key of Object.keys(value)) value[key] = receive(value[key])
    return value
  }
  const proxyFor = (id) =>
    function bridged(...args) {
      const call = nextCall++
      post({ t: 'call', id, call, args: pass(args) })
      const r = results.get(call)
      results.delete(call)
      if (!r) throw new Error('contextBridge: the other world did not answer')
      const value = receive(r.value)
      if (!r.ok) throw value
      return value
    }
  // The event's detail is structured-cloned from one world to the other by Chromium.
  const post = (message) => document.dispatchEvent(new CustomEvent(sendName, { detail: message }))

  document.addEventListener(receiveName, (event) => {
    const m = event.detail
    if (m.t === 'call') {
      let reply
      try {
        reply = { t: 'result', call: m.call, ok: true, value: pass(own.get(m.id)(...receive(m.args))) }
      } catch (error) {
        reply = { t: 'result', call: m.call, ok: false, value: pass(error instanceof Error ? error : new Error(String(error))) }
      }
      post(reply)
    } else if (m.t === 'result') results.set(m.call, m)
    else if (m.t === 'settle') {
      const p = remotePromises.get(m.id)
      remotePromises.delete(m.id)
      if (p) (m.ok ? p.resolve : p.reject)(receive(m.value))
    } else if (m.t === 'expose' && onExpose) onExpose(m.key, receive(m.value))
  })

  const deepFreeze = (value) => {
    if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      Object.freeze(value)
      for (const key of Object.keys(value)) deepFreeze(value[key])
    }
    return value
  }

  return {
    /** Isolated world: copies `api` into the main world as window[key]. */
    expose(key, api) {
      if (typeof key !== 'string') throw new TypeError('contextBridge.exposeInMainWorld: the key must be a string')
      post({ t: 'expose', key, value: pass(api) })
    },
    /** Main world: defines what the isolated world exposes (copied, frozen, functions proxied). */
    acceptExposures() {
      onExpose = (key, value) => {
        if (key in window) throw new Error(`Cannot bind an API on top of an existing property on the window object`)
        Object.defineProperty(window, key, { value: deepFreeze(value), enumerable: true })
      }
    },
  }
})
