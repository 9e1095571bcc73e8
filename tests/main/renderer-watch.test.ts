import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseGuard, type CloseChoice } from '../../src/main/close-guard'
import { CRASH_WINDOW_MS, MAX_CRASHES, RendererWatch, type HangAnswer } from '../../src/main/renderer-watch'
import { Autosave } from '../../src/main/services'

/**
 * Issue 12 A1: a crashed or hung page. The shell's wiring in index.ts forwards Electron's events to
 * RendererWatch and CloseGuard; here they run with a real Autosave on real files, and the window is
 * a log of what the shell was asked to do.
 */
let dir: string
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'bplab-crash-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

function shell(options: { answers?: CloseChoice[]; hang?: HangAnswer[] } = {}) {
  const log: string[] = []
  const autosave = new Autosave(dir)
  let now = 1_000_000
  let pendingAnswer: ((choice: CloseChoice) => void) | null = null
  const guard = new CloseGuard({
    ask: () =>
      options.answers
        ? Promise.resolve(options.answers.shift() ?? 'cancel')
        : new Promise<CloseChoice>((resolve) => {
            log.push('ask')
            pendingAnswer = resolve
          }),
    requestSave: () => log.push('save sent to the page'),
    close: () => {
      log.push('closed')
      windowAllClosed()
    },
    keepWork: () => void autosave.keepForRecovery(),
  })
  // What index.ts does when the last window is gone.
  const windowAllClosed = () => void autosave.clear()
  const watch = new RendererWatch({
    keepWork: () => autosave.keepForRecovery(),
    reload: () => log.push('reload'),
    killPage: () => log.push('kill page'),
    askHung: async () => {
      log.push('asked hung')
      return options.hang?.shift() ?? 'wait'
    },
    tellGivenUp: () => log.push('given up'),
    guard,
    now: () => now,
  })
  /** The user clicks the window's close button; true when the window closed at once. */
  const clickClose = (): boolean => {
    const prevented = guard.shouldPreventClose()
    if (!prevented) {
      log.push('closed')
      windowAllClosed()
    }
    return !prevented
  }
  return {
    log,
    autosave,
    guard,
    watch,
    clickClose,
    answer: (choice: CloseChoice) => pendingAnswer?.(choice),
    advance: (ms: number) => void (now += ms),
    /** The next launch: a new Autosave over the same folder. */
    nextLaunch: () => new Autosave(dir).take(),
  }
}

describe('a page that crashes (render-process-gone)', () => {
  it('keeps the autosave, reloads, and the reloaded page is offered the work; the copy stays on disk', async () => {
    const s = shell()
    s.guard.setDirty(true)
    await s.autosave.write('edits made before the crash')
    const crashedCopy = s.autosave.file
    await s.watch.gone('crashed')
    expect(s.log).toEqual(['reload'])
    s.watch.loaded() // did-finish-load of the reloaded page
    const offered = await s.autosave.take()
    expect(offered?.text).toBe('edits made before the crash')
    expect(existsSync(crashedCopy)).toBe(true)
    // The reloaded page writes its own copy: the crashed one is not overwritten.
    await s.autosave.write('new edits')
    expect((await s.autosave.take())?.text).toBe('edits made before the crash')
  })

  it('closing after a crash sends no Save to the dead page and does not delete the recovery copy', async () => {
    const s = shell({ answers: ['discard'] })
    s.guard.setDirty(true)
    await s.autosave.write('unsaved work')
    await s.watch.gone('oom')
    expect(s.clickClose()).toBe(true) // no prompt: nobody can save now
    await settle()
    expect(s.log).not.toContain('save sent to the page')
    expect((await s.nextLaunch())?.text).toBe('unsaved work')
  })

  it('the close prompt was open when the page crashed: Save is not sent, Don’t Save keeps the copy', async () => {
    const s = shell()
    s.guard.setDirty(true)
    await s.autosave.write('unsaved work')
    expect(s.clickClose()).toBe(false)
    await settle()
    expect(s.log).toEqual(['ask'])
    await s.watch.gone('crashed')
    s.answer('save')
    await settle()
    expect(s.log).toEqual(['ask', 'reload']) // Save went nowhere; the reloaded page offers the work
    expect(s.clickClose()).toBe(true) // still gone (no did-finish-load yet): closes, keeps the work
    await settle()
    expect((await s.nextLaunch())?.text).toBe('unsaved work')
  })

  it('Don’t Save on a prompt answered after the crash closes but keeps the copy', async () => {
    const s = shell()
    s.guard.setDirty(true)
    await s.autosave.write('unsaved work')
    s.clickClose()
    await settle()
    await s.watch.gone('crashed')
    s.answer('discard')
    await settle()
    expect(s.log).toContain('closed')
    await settle()
    expect((await s.nextLaunch())?.text).toBe('unsaved work')
  })

  it('a clean quit without a crash still clears the session’s own copy', async () => {
    const s = shell({ answers: ['discard'] })
    s.guard.setDirty(true)
    await s.autosave.write('work the user discards')
    s.clickClose()
    await settle()
    await settle()
    expect(await s.nextLaunch()).toBeNull()
  })

  it('a page that keeps crashing is not reloaded in a loop; the work is still kept', async () => {
    const s = shell()
    await s.autosave.write('work')
    for (let i = 0; i < MAX_CRASHES; i++) {
      await s.watch.gone('crashed')
      s.watch.loaded()
      s.advance(1000)
    }
    expect(s.log).toEqual(Array(MAX_CRASHES).fill('reload'))
    await s.watch.gone('crashed')
    expect(s.log.at(-1)).toBe('given up')
    // Crashes far apart are not a loop.
    s.advance(CRASH_WINDOW_MS)
    await s.watch.gone('crashed')
    expect(s.log.at(-1)).toBe('reload')
    expect((await s.nextLaunch())?.text).toBe('work')
  })

  it('a page ending with its window (clean-exit) is no crash', async () => {
    const s = shell()
    s.guard.setDirty(true)
    await s.watch.gone('clean-exit')
    expect(s.log).toEqual([])
    expect(s.clickClose()).toBe(false) // the close prompt still asks
  })
})

describe('a page that hangs (unresponsive)', () => {
  it('asks; Reload ends the page, whose crash keeps the work and reloads', async () => {
    const s = shell({ hang: ['reload'] })
    await s.autosave.write('work before the hang')
    await s.watch.unresponsive()
    expect(s.log).toEqual(['asked hung', 'kill page'])
    await s.watch.gone('killed') // what forcefullyCrashRenderer leads to
    expect(s.log.at(-1)).toBe('reload')
    expect((await s.autosave.take())?.text).toBe('work before the hang')
  })

  it('Keep Waiting does nothing; a page that answers again before the reply is not killed', async () => {
    const s = shell({ hang: ['wait'] })
    await s.watch.unresponsive()
    expect(s.log).toEqual(['asked hung'])
    const t = shell({ hang: ['reload'] })
    const asking = t.watch.unresponsive()
    t.watch.responsive()
    await asking
    expect(t.log).toEqual(['asked hung'])
  })

  it('closing a hung window does not wait for a Save it cannot do, and keeps the work', async () => {
    const s = shell({ hang: ['wait'] })
    s.guard.setDirty(true)
    await s.autosave.write('work in the hung page')
    await s.watch.unresponsive()
    expect(s.clickClose()).toBe(true)
    await settle()
    expect(s.log).not.toContain('save sent to the page')
    expect((await s.nextLaunch())?.text).toBe('work in the hung page')
  })

  it('when the hang ends the close prompt asks again as usual', async () => {
    const s = shell({ hang: ['wait'], answers: ['cancel'] })
    s.guard.setDirty(true)
    await s.watch.unresponsive()
    s.watch.responsive()
    expect(s.clickClose()).toBe(false)
  })
})
