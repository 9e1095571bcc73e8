import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Ajv from 'ajv'
import { load } from 'js-yaml'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const require = createRequire(import.meta.url)
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  mac: { target: string[]; icon: string; entitlements: string }
  fileAssociations: { ext: string }[]
  afterPack: string
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file)
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own JSON schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true)
    // The validator does reject what electron-builder would reject.
    expect(validate({ ...config, asar: 'yes please' })).toBe(false)
    expect(validate({ ...config, linux: { ...config.linux, targett: ['deb'] } })).toBe(false)
  })

  it('AppImage and deb, NSIS, dmg; asar; a .bplab association; no publishing', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.asar).toBe(true)
    expect(config.publish).toBeNull()
    expect(config.fileAssociations.map((a) => a.ext)).toEqual(['bplab'])
  })

  it('every resource it names exists; icons in every size the targets need', () => {
    for (const file of [config.win.icon, config.mac.icon, config.mac.entitlements, config.afterPack, 'build/icon.svg', 'build/icon.png'])
      expect(existsSync(join(root, file)), file).toBe(true)
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024])
      expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size })
    expect(pngSize(join(root, 'build/icon.png'))).toEqual({ width: 1024, height: 1024 })
    // Windows .ico: 256 px first (electron-builder requires at least 256×256).
    const ico = readFileSync(join(root, config.win.icon))
    expect(ico.readUInt16LE(2)).toBe(1)
    const count = ico.readUInt16LE(4)
    const widths = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256)
    expect(widths).toEqual(expect.arrayContaining([16, 32, 48, 256]))
    // macOS .icns: the magic, the length, and the 1024 px (ic10) and 512 px (ic09) images.
    const icns = readFileSync(join(root, config.mac.icon))
    expect(icns.subarray(0, 4).toString()).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    expect(icns.includes(Buffer.from('ic10'))).toBe(true)
    expect(icns.includes(Buffer.from('ic09'))).toBe(true)
  })
})

describe('fuses (afterPack hook)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fuses-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const afterPack = require(join(root, 'build/after-pack.cjs')) as ((context: unknown) => Promise<void>) & {
    electronBinary(context: unknown): string
  }
  const fuses = require('@electron/fuses') as typeof import('@electron/fuses')

  // Electron's fuse sentinel (@electron/fuses/dist/constants.js); the wire follows it.
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
  /** A stand-in executable with Electron's fuse wire (sentinel, version 1, 8 fuses) at Electron's defaults. */
  function fakeElectronBinary(path: string): void {
    const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110100')])
    writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 7), wire, Buffer.alloc(4096, 9)]))
  }

  it('flips RunAsNode off, cookie encryption on, NODE_OPTIONS and inspect off, asar integrity and asar-only on', async () => {
    const context = {
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'Backprop Lab' }, executableName: 'backprop-lab' },
    }
    const binary = afterPack.electronBinary(context)
    expect(binary).toBe(join(dir, 'backprop-lab'))
    fakeElectronBinary(binary)
    const before = await fuses.getCurrentFuseWire(binary)
    expect(before[fuses.FuseV1Options.RunAsNode]).toBe(49)
    await afterPack(context)
    const after = await fuses.getCurrentFuseWire(binary)
    const { FuseV1Options: F } = fuses
    const ENABLE = 49
    const DISABLE = 48
    expect(after[F.RunAsNode]).toBe(DISABLE)
    expect(after[F.EnableCookieEncryption]).toBe(ENABLE)
    expect(after[F.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE)
    expect(after[F.EnableNodeCliInspectArguments]).toBe(DISABLE)
    expect(after[F.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE)
    expect(after[F.OnlyLoadAppFromAsar]).toBe(ENABLE)
    expect(after[F.GrantFileProtocolExtraPrivileges]).toBe(DISABLE)
  })

  it('finds the executable on every platform', () => {
    const packager = { appInfo: { productFilename: 'Backprop Lab' }, executableName: 'backprop-lab' }
    expect(afterPack.electronBinary({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'Backprop Lab.exe'))
    expect(afterPack.electronBinary({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'Backprop Lab.app'))
  })
})
