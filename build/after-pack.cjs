// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing.
// Fuses are baked into the executable, so no command-line flag or environment variable can undo them.
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads hooks with require() */
/* eslint-disable @typescript-eslint/explicit-function-return-type -- plain JavaScript: no type annotations here */
const { join } = require('node:path')
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses')

const FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the app into a plain Node runtime.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Checked on macOS and Windows; electron-builder writes the asar's hash into the binary.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is served from app://, so file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

/** The Electron executable inside the packed app folder, per platform. */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const name = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`)
  return join(appOutDir, packager.executableName)
}

async function afterPack(context) {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
  // BPLAB_E2E_PACK=1: the release workflow's test copy (never shipped), which Playwright drives
  // through the Node inspector; every other fuse as shipped.
  const e2e = process.env.BPLAB_E2E_PACK === '1' ? { [FuseV1Options.EnableNodeCliInspectArguments]: true } : {}
  await flipFuses(electronBinary(context), { ...FUSES, ...e2e, resetAdHocDarwinSignature: mac && context.arch === 3 /* arm64 */ })
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.FUSES = FUSES
module.exports.electronBinary = electronBinary
