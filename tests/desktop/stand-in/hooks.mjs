/* eslint-disable @typescript-eslint/explicit-function-return-type -- plain JavaScript: Node loads module hooks untranspiled */
// Module hooks for the built main process (registered by child.mjs): `electron` resolves to the
// stand-in. Every name Electron 41's main process exports is bound: to the stand-in's object of that
// name, or, for one the stand-in lacks, to a trap that throws "<name> is not in the Electron stand-in"
// on any use (reading a property, calling, constructing).
const URL = 'electron-stand-in:electron'
const NAMES = [
  'app',
  'autoUpdater',
  'contentTracing',
  'desktopCapturer',
  'dialog',
  'globalShortcut',
  'inAppPurchase',
  'ipcMain',
  'nativeTheme',
  'net',
  'netLog',
  'powerMonitor',
  'powerSaveBlocker',
  'protocol',
  'pushNotifications',
  'safeStorage',
  'screen',
  'session',
  'systemPreferences',
  'utilityProcess',
  'webContents',
  'webFrameMain',
  'BaseWindow',
  'BrowserView',
  'BrowserWindow',
  'ImageView',
  'Menu',
  'MenuItem',
  'MessageChannelMain',
  'Notification',
  'ShareMenu',
  'TouchBar',
  'Tray',
  'View',
  'WebContentsView',
  'clipboard',
  'crashReporter',
  'nativeImage',
  'shell',
]

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: URL, shortCircuit: true }
  return next(specifier, context)
}

export async function load(url, context, next) {
  if (url !== URL) return next(url, context)
  const source = [
    `const e = globalThis[Symbol.for('electron-stand-in')]`,
    `if (!e) throw new Error('the Electron stand-in is not installed')`,
    `const trap = (name) => { const fail = () => { throw new Error(name + ' is not in the Electron stand-in') }; return new Proxy(function () {}, { get: fail, apply: fail, construct: fail, set: fail }) }`,
    ...NAMES.map((name) => `export const ${name} = Reflect.has(e, '${name}') ? e.${name} : trap('${name}')`),
    'export default e',
  ].join('\n')
  return { format: 'module', source, shortCircuit: true }
}
