// `require('electron')` from CommonJS in the main process gets the same stand-in (child.ts maps it here).
module.exports = globalThis[Symbol.for('electron-stand-in')]
