// contextBridge's two halves: one runs in the preload's isolated world, one in the page's main world.
// Worlds share the DOM but no JavaScript objects, so values cross as codec text in synchronous DOM
// events on `document` (dispatchEvent runs the other world's listener before it returns). As in
// Electron, data is copied, functions become proxies that call back into the world that owns them,
// and promises become promises that settle when the original does. One function expression, no imports.
(function standInBridge(codec, sendName, receiveName) {
  const own = new Map() // handle id → this world's function or promise
  let nextHandle = 1
  let nextCall = 1
  const results = new Map()
  const remotePromises = new Map()
  let onExpose = null

  const hooks = {
    fn: (f) => {
      const id = nextHandle++
      own.set(id, f)
      return id
    },
    promise: (p) => {
      const id = nextHandle++
      p.then(
        (value) => post({ t: 'settle', id, ok: true, value: pass(value) }),
        (error) => post({ t: 'settle', id, ok: false, value: pass(error instanceof Error ? error : new Error(String(error))) })
      )
      return id
    },
  }
  const pass = (value) => codec.encode(value, hooks)
  const receive = (data) =>
    codec.decode(data, {
      fn: (id) =>
        function bridged(...args) {
          const call = nextCall++
          post({ t: 'call', id, call, args: pass(args) })
          const r = results.get(call)
          results.delete(call)
          if (!r) throw new Error('contextBridge: the other world did not answer')
          const value = receive(r.value)
          if (!r.ok) throw value
          return value
        },
      promise: (id) => new Promise((resolve, reject) => remotePromises.set(id, { resolve, reject })),
    })
  const post = (message) => document.dispatchEvent(new CustomEvent(sendName, { detail: JSON.stringify(message) }))

  document.addEventListener(receiveName, (event) => {
    const m = JSON.parse(event.detail)
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
