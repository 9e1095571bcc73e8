import { describe, expect, it } from 'vitest'
import { CloseGuard, type CloseChoice } from '../../src/main/close-guard'

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

  it('asks once however often close is pressed while the question is open', async () => {
    const { guard, log } = setup(['cancel'])
    guard.setDirty(true)
    guard.shouldPreventClose()
    guard.shouldPreventClose()
    await settle()
    expect(log).toEqual(['ask'])
  })
})
