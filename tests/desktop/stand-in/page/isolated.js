/* eslint-disable @typescript-eslint/no-unused-expressions, @typescript-eslint/explicit-function-return-type -- plain JavaScript, one function expression evaluated as text (no types, no statement) */
// The preload's isolated world, as a sandboxed Electron preload sees it: `require` gives only
// electron's contextBridge, ipcRenderer and webUtils; anything else throws. IPC goes to the main
// process through a CDP binding that exists only in this world. One function expression, no imports.
;(function standInIsolated(codecFactory, bridgeFactory, preload, bindingName, deliverName) {
  // nodeIntegrationInSubFrames is false: the preload runs in the top frame only.
  if (window !== window.top) return
  const codec = codecFactory()
  const bridge = bridgeFactory(codec, '__electron-stand-in:to-main-world', '__electron-stand-in:to-isolated-world')
  const binding = globalThis[bindingName]
  delete globalThis[bindingName]
  const toMain = (message) => binding(JSON.stringify(message))
  const missing = (owner, name) => {
    throw new Error(`${owner}${String(name)} is not in the Electron stand-in`)
  }
  const only = (owner, object) =>
    new Proxy(object, {
      get: (target, name) => (name in target || typeof name === 'symbol' ? target[name] : missing(owner, name)),
    })

  const listeners = new Map()
  const pending = new Map()
  let nextInvoke = 1
  const ipcRenderer = only('ipcRenderer.', {
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, [])
      listeners.get(channel).push(listener)
      return ipcRenderer
    },
    once(channel, listener) {
      const wrapped = (...args) => {
        ipcRenderer.removeListener(channel, wrapped)
        listener(...args)
      }
      return ipcRenderer.on(channel, wrapped)
    },
    removeListener(channel, listener) {
      const list = listeners.get(channel) ?? []
      const at = list.indexOf(listener)
      if (at >= 0) list.splice(at, 1)
      return ipcRenderer
    },
    off(channel, listener) {
      return ipcRenderer.removeListener(channel, listener)
    },
    removeAllListeners(channel) {
      if (channel === undefined) listeners.clear()
      else listeners.delete(channel)
      return ipcRenderer
    },
    send(channel, ...args) {
      toMain({ t: 'send', channel: String(channel), args: codec.encode(args) })
    },
    invoke(channel, ...args) {
      const id = nextInvoke++
      const encoded = codec.encode(args)
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        toMain({ t: 'invoke', id, channel: String(channel), args: encoded })
      })
    },
  })
  ipcRenderer.addListener = ipcRenderer.on

  // The main process calls this (Runtime.evaluate in this world) with replies and messages.
  Object.defineProperty(globalThis, deliverName, {
    value(m) {
      if (m.t === 'reply') {
        const p = pending.get(m.id)
        pending.delete(m.id)
        if (!p) return
        if (m.ok) p.resolve(codec.decode(m.value))
        else p.reject(new Error(m.message))
      } else if (m.t === 'message') {
        const event = { sender: ipcRenderer, senderId: 0, ports: [] }
        const args = codec.decode(m.args)
        for (const listener of [...(listeners.get(m.channel) ?? [])]) listener(event, ...args)
      }
    },
  })

  const electron = only('', {
    contextBridge: only('contextBridge.', { exposeInMainWorld: (key, api) => bridge.expose(key, api) }),
    ipcRenderer,
    // Chromium alone has no path for a File: the stand-in answers '' as Electron does for a File made in script.
    webUtils: only('webUtils.', {
      getPathForFile: (file) => (file instanceof File ? '' : missing('webUtils.getPathForFile: not a File ', '')),
    }),
  })
  const require = (name) => {
    if (name === 'electron') return electron
    throw new Error(`module not found: ${name} (a sandboxed preload can require only electron's renderer modules)`)
  }
  const module = { exports: {} }
  try {
    preload(require, module, module.exports)
  } catch (error) {
    console.error(`Unable to load preload script: ${error && error.stack ? error.stack : error}`)
    toMain({ t: 'preload-error', message: String(error && error.message ? error.message : error) })
  }
})
