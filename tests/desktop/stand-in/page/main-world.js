/* eslint-disable @typescript-eslint/no-unused-expressions, @typescript-eslint/explicit-function-return-type -- plain JavaScript, one function expression evaluated as text (no types, no statement) */
// The page's main world: receives what the preload exposes through contextBridge, and sends the
// permission requests that Chromium alone would answer by itself to the session's handler.
// One function expression, no imports.
;(function standInMainWorld(codecFactory, bridgeFactory, permissionBinding, permissionReplyName) {
  const bridge = bridgeFactory(codecFactory(), '__electron-stand-in:to-isolated-world', '__electron-stand-in:to-main-world')
  bridge.acceptExposures()

  const ask = globalThis[permissionBinding]
  delete globalThis[permissionBinding]
  const waiting = new Map()
  let next = 1
  const request = (permission) =>
    new Promise((resolve) => {
      const id = next++
      waiting.set(id, resolve)
      ask(JSON.stringify({ id, permission, url: location.href }))
    })
  Object.defineProperty(globalThis, permissionReplyName, {
    value(id, granted) {
      waiting.get(id)?.(granted)
      waiting.delete(id)
    },
  })
  if (typeof Notification !== 'undefined')
    Notification.requestPermission = (callback) =>
      request('notifications').then((granted) => {
        const answer = granted ? 'granted' : 'denied'
        if (typeof callback === 'function') callback(answer)
        return answer
      })
  if (navigator.geolocation) {
    const denied = { code: 1, message: 'User denied Geolocation', PERMISSION_DENIED: 1 }
    navigator.geolocation.getCurrentPosition = (success, failure) =>
      void request('geolocation').then((granted) => {
        if (!granted) failure?.(denied)
        else throw new Error('granting geolocation is not in the Electron stand-in')
      })
  }
})
