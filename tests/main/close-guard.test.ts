import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseGuard, settleOnQuit, type CloseChoice } from '../../src/main/close-guard'
import { Autosave } from '../../src/main/services'
import { loadWindowState, saveWindowState } from '../../src/main/window-state'

function setup(answers: CloseChoice[]) {
  const log: string[] = []
  const guard = new CloseGuard({
    ask: async () => {
      log.push('ask')
      return answers.shift() ?? 'cancel'
    },
    requestSave: () => log.push('save'),
    keepWork: () => log.push('keep work'),
    close: () => {
      log.push('close')
      // The real close() fires the close event again; the guard must let it through.
      log.push(guard.shouldPreventClose() ? 'prevented again' : 'closed')
    },
  })
  return { guard, log }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** The will-quit handler as index.ts wires it; `quits()` counts the quits it let through. */
function wireQuit(guard: CloseGuard, clear: () => Promise<void>, pending: Promise<unknown> = Promise.resolve(), onQuit = (): void => {}) {
  let quits = 0
  const willQuit = settleOnQuit({
    isClean: () => guard.isClean(),
    clear,
    pending: () => pending,
    quit: () => {
      quits++
      onQuit()
    },
  })
  return { willQuit, quits: () => quits }
}

/** A will-quit event; `prevented` says whether the handler called preventDefault. */
const event = () => {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) }
  return e
}

describe('closing with unsaved changes', () => {
  it('closes at once when nothing is unsaved', () => {
    const { guard, log } = setup([])
    expect(guard.shouldPreventClose()).toBe(false)
    expect(log).toEqual([])
  })

  it('discard closes; cancel keeps the window', async () => {
    const { guard, log } = setup(['cancel', 'discard'])
    guard.setDirty(true)
    expect(guard.shouldPreventClose()).toBe(true)
    await settle()
    expect(log).toEqual(['ask'])
    expect(guard.shouldPreventClose()).toBe(true)
    await settle()
    expect(log).toEqual(['ask', 'ask', 'close', 'closed'])
  })

  it('save closes once the save succeeds, and not when it is cancelled', async () => {
    const { guard, log } = setup(['save', 'save'])
    guard.setDirty(true)
    guard.shouldPreventClose()
    await settle()
    expect(log).toEqual(['ask', 'save'])
    guard.saveFinished(false)
    expect(log).toEqual(['ask', 'save'])
    // A later ordinary save does not close the window.
    guard.saveFinished(true)
    expect(log).toEqual(['ask', 'save'])
    guard.shouldPreventClose()
    await settle()
    guard.saveFinished(true)
    expect(log).toEqual(['ask', 'save', 'ask', 'save', 'close', 'closed'])
  })

  it('a new window (macOS: the app outlives its last window) asks again before closing with unsaved changes', async () => {
    for (const first of ['discard', 'save'] as const) {
      const { guard, log } = setup([first, 'cancel'])
      guard.setDirty(true)
      guard.shouldPreventClose()
      await settle()
      if (first === 'save') guard.saveFinished(true)
      expect(log.at(-1)).toBe('closed')
      guard.windowOpened()
      expect(guard.shouldPreventClose()).toBe(false) // nothing unsaved in the new window yet
      guard.setDirty(true)
      expect(guard.shouldPreventClose()).toBe(true)
      await settle()
      expect(log.slice(-1)).toEqual(['ask'])
      expect(guard.isClean()).toBe(false) // the Don't Save of the last window is not this one's
    }
  })

  it('asks once however often close is pressed while the question is open', async () => {
    const { guard, log } = setup(['cancel'])
    guard.setDirty(true)
    guard.shouldPreventClose()
    guard.shouldPreventClose()
    await settle()
    expect(log).toEqual(['ask'])
  })
})

describe('quitting from the menu (no window-all-closed): this session’s recovery copy', () => {
  let dir: string
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'bplab-quit-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A real Autosave with a copy on disk, the guard, and the will-quit handler as index.ts wires them. */
  async function quitting() {
    const autosave = new Autosave(dir)
    await autosave.write('work')
    const { guard } = setup([])
    const { willQuit, quits } = wireQuit(guard, () => autosave.clear())
    return { autosave, guard, willQuit, quits }
  }

  it('is removed when nothing is unsaved: the quit waits for the removal, then goes on once', async () => {
    const { autosave, willQuit, quits } = await quitting()
    const first = event()
    willQuit(first)
    expect(first.prevented).toBe(true)
    await until(() => quits() === 1)
    expect(existsSync(autosave.file)).toBe(false)
    // The quit asked again: will-quit lets it through.
    const second = event()
    willQuit(second)
    expect(second.prevented).toBe(false)
    expect(quits()).toBe(1)
  })

  it('stays when the work is unsaved, or when the page crashed or hangs', async () => {
    for (const state of ['dirty', 'crashed'] as const) {
      const { autosave, guard, willQuit, quits } = await quitting()
      if (state === 'dirty') guard.setDirty(true)
      else guard.setPageAlive(false)
      willQuit(event())
      await until(() => quits() === 1)
      expect(readFileSync(autosave.file, 'utf8')).toBe('work')
    }
  })

  it('ends only after the window’s size and place are on disk, clean or not', async () => {
    for (const clean of [true, false]) {
      const stateFile = join(dir, `window-state-${clean}.json`)
      const { guard } = await quitting()
      if (!clean) guard.setDirty(true)
      // As index.ts wires it: the window's close event starts the write, then will-quit comes.
      const write = saveWindowState(stateFile, { x: 120, y: 90, width: 1000, height: 700, maximized: false })
      let onDisk: boolean | undefined
      const { willQuit } = wireQuit(guard, () => Promise.resolve(), write, () => void (onDisk ??= existsSync(stateFile)))
      const e = event()
      willQuit(e)
      expect(e.prevented).toBe(true)
      await until(() => onDisk !== undefined)
      expect(onDisk).toBe(true)
      expect(await loadWindowState(stateFile)).toEqual({ x: 120, y: 90, width: 1000, height: 700, maximized: false })
    }
  })
})

describe('quitting after Don’t Save in the close prompt', () => {
  let dir: string
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'bplab-discard-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A real Autosave whose page crashed once (an old copy kept), then wrote its current copy. */
  async function withOldCopy() {
    let n = 0
    const autosave = new Autosave(dir, () => `s${n++}`)
    await autosave.write('work lost in a crash')
    await autosave.keepForRecovery()
    await autosave.write('work the user will discard')
    return autosave
  }

  it('removes the copy of the discarded work only: the crashed page’s copy is still offered', async () => {
    const autosave = await withOldCopy()
    const { guard, log } = setup(['discard'])
    const { willQuit, quits } = wireQuit(guard, () => autosave.clear())
    guard.setDirty(true)
    // The menu's Quit closes the window first: the prompt asks, the user answers Don't Save.
    expect(guard.shouldPreventClose()).toBe(true)
    await settle()
    expect(log).toEqual(['ask', 'close', 'closed'])
    // The page still reports its unsaved state while it goes; that does not bring the copy back.
    guard.setDirty(true)
    const e = event()
    willQuit(e)
    expect(e.prevented).toBe(true)
    await until(() => quits() === 1)
    expect(existsSync(autosave.file)).toBe(false)
    expect(readdirSync(dir)).toEqual(['recovery-s0.json'])
    expect(await autosave.take()).toEqual({ id: 'recovery-s0', text: 'work lost in a crash' })
  })

  it('keeps the copy when the page crashed while the prompt was open (Don’t Save was about work it can no longer show)', async () => {
    const autosave = await withOldCopy()
    const { guard } = setup(['discard'])
    guard.setDirty(true)
    guard.shouldPreventClose()
    guard.setPageAlive(false)
    await settle()
    expect(guard.isClean()).toBe(false)
    expect(readFileSync(autosave.file, 'utf8')).toBe('work the user will discard')
  })

  it('a page reloaded after Don’t Save starts over: its own unsaved work is kept again', async () => {
    const { guard } = setup(['discard'])
    guard.setDirty(true)
    guard.shouldPreventClose()
    await settle()
    expect(guard.isClean()).toBe(true)
    guard.setPageAlive(true, true)
    guard.setDirty(true)
    expect(guard.isClean()).toBe(false)
  })
})

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await settle()
}
