import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from '../../src/main/window-state'

const dir = mkdtempSync(join(tmpdir(), 'window-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('window state', () => {
  it('round-trips size, position and maximised through a real file', async () => {
    const file = join(dir, 'state.json')
    await saveWindowState(file, { x: 40, y: 60, width: 1000, height: 700, maximized: true })
    expect(await loadWindowState(file)).toEqual({ x: 40, y: 60, width: 1000, height: 700, maximized: true })
  })

  it('is written through the atomic writer: saves that overlap (a resize during a move) both succeed, and no temp file is left', async () => {
    const file = join(dir, 'overlap.json')
    const states = [700, 800, 900].map((width) => ({ width, height: 500, maximized: false }))
    await Promise.all(states.map((state) => saveWindowState(file, state)))
    expect(states).toContainEqual(await loadWindowState(file))
    expect(readdirSync(dir).filter((f) => f.includes('overlap') && f !== 'overlap.json')).toEqual([])
  })

  it('a missing, corrupt or odd file gives the default', async () => {
    expect(await loadWindowState(join(dir, 'missing.json'))).toEqual(DEFAULT_WINDOW_STATE)
    for (const [i, text] of ['{not json', 'null', '[]', '{"width":"wide","height":3}', '{"width":1e9,"height":500}'].entries()) {
      const file = join(dir, `bad-${i}.json`)
      writeFileSync(file, text)
      expect(await loadWindowState(file), text).toEqual(DEFAULT_WINDOW_STATE)
    }
    const tiny = join(dir, 'tiny.json')
    writeFileSync(tiny, '{"width":10,"height":10,"x":1.5,"y":2}')
    expect(await loadWindowState(tiny)).toEqual({ width: 640, height: 480, maximized: false })
  })

  it('keeps the window on a display that exists', () => {
    const laptop = { x: 0, y: 0, width: 1440, height: 870 }
    const monitor = { x: 1440, y: 0, width: 2560, height: 1400 }
    const onMonitor = { x: 1600, y: 100, width: 1800, height: 1000, maximized: false }
    expect(fitToDisplays(onMonitor, [laptop, monitor])).toEqual(onMonitor)
    // The monitor is unplugged: the position is dropped (the OS centres it) and the size shrinks to fit.
    expect(fitToDisplays(onMonitor, [laptop])).toEqual({ width: 1440, height: 870, maximized: false })
    // Title bar above the top of the screen.
    expect(fitToDisplays({ x: 10, y: -200, width: 800, height: 600, maximized: false }, [laptop])).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    })
  })
})
