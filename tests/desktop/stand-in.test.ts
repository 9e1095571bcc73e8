import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { launch, standInDriver } from './stand-in-driver'

/**
 * The stand-in's own promises, on a tiny main process and preload (fixtures/probe-*): what a
 * sandboxed preload cannot do throws, contextBridge and IPC copy by structured clone, a handler's
 * error arrives with Electron's prefix, and anything outside the stand-in says so.
 */
const fixtures = resolve(import.meta.dirname, 'fixtures')

describe('the Electron stand-in', () => {
  afterAll(() => standInDriver.dispose?.())

  it('behaves as a sandboxed, context-isolated Electron 41 for a preload and its page', async () => {
    const app = await launch({
      userData: mkdtempSync(join(tmpdir(), 'bplab-probe-')),
      main: join(fixtures, 'probe-main.mjs'),
      args: [join(fixtures, 'probe-preload.cjs')],
    })
    try {
      const page = await app.window()
      await page.waitForFunction(() => 'probe' in window)
      expect(await page.evaluate(() => window.probe.errors)).toEqual([
        "module not found: fs (a sandboxed preload can require only electron's renderer modules)",
        'An object could not be cloned.',
        'An object could not be cloned.',
        'shell is not in the Electron stand-in',
      ])
      // The uncaught error at the end of the preload is reported, as Electron's "Unable to load preload script".
      expect((await app.log()).preloadErrors).toEqual([
        "module not found: path (a sandboxed preload can require only electron's renderer modules)",
      ])
      const seen = await page.evaluate(async () => {
        const p = window.probe
        return {
          frozen: Object.isFrozen(p) && Object.isFrozen(p.errors),
          noNode: typeof (window as unknown as { require?: unknown }).require === 'undefined' && !('bad' in window),
          data: p.data instanceof Float64Array && p.data[0] === 1.5 && Number.isNaN(p.data[1]),
          twice: p.twice((x: number) => x + 1),
          boom: await p.invoke('boom').then(
            () => 'resolved',
            (e: Error) => e.message
          ),
          echo: await p
            .invoke('echo', { bytes: new Uint8Array([1, 2]), map: new Map([[1, 'one']]), nothing: undefined, nan: NaN })
            .then((v) => {
              const e = v as { bytes: Uint8Array; map: Map<number, string>; nothing?: undefined; nan: number }
              // A Map does not survive Playwright's own serialization back to the test: checked here.
              return { ...e, map: e.map instanceof Map ? [...e.map] : e.map, hasNothing: 'nothing' in e }
            }),
          sender: await p.invoke('sender'),
        }
      })
      expect(seen).toEqual({
        frozen: true,
        noNode: true,
        data: true,
        twice: 6,
        boom: "Error invoking remote method 'boom': Error: boom",
        echo: { bytes: new Uint8Array([1, 2]), map: [[1, 'one']], nothing: undefined, nan: NaN, hasNothing: true },
        sender: { url: 'data:text/html,<title>probe</title><p>probe</p>', fromWindow: true },
      })
      expect(await app.evaluateMain(() => (globalThis as unknown as { probeResults: unknown }).probeResults, undefined)).toEqual({
        shell: 'shell is not in the Electron stand-in',
        appMember: 'app.getGPUInfo is not in the Electron stand-in',
      })
    } finally {
      await app.kill()
    }
  })
})

declare global {
  interface Window {
    probe: {
      errors: string[]
      data: Float64Array
      twice(f: (x: number) => number): number
      invoke(channel: string, value?: unknown): Promise<unknown>
    }
  }
}
