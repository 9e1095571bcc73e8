import { ref, watch, type Ref } from 'vue'
import { parseRecoveryText, recoveryFileChanged, type Recovery } from '@shared/document'
import { useHost } from '../host'

export const AUTOSAVE_INTERVAL_MS = 30_000
/** An edit is autosaved this long after the typing stops (the interval covers non-stop editing). */
export const AUTOSAVE_DELAY_MS = 2_000

/**
 * Runs `autosave` every interval and `delayMs` after the document last changed, so a crash loses at
 * most the last couple of seconds of edits. Returns the stop function.
 */
export function scheduleAutosave(snapshot: Readonly<Ref<unknown>>, autosave: () => Promise<void>, intervalMs: number, delayMs: number): () => void {
  const timer = setInterval(() => void autosave(), intervalMs)
  let soon: ReturnType<typeof setTimeout> | undefined
  const stopWatching = watch(snapshot, () => {
    clearTimeout(soon)
    soon = setTimeout(() => void autosave(), delayMs)
  })
  return () => {
    clearInterval(timer)
    clearTimeout(soon)
    stopWatching()
  }
}

/** What the offer needs of the document store. */
export interface RecoveryOfferContext {
  /** The save / discard / cancel question; true when the current work may be replaced. */
  confirmDiscard(action: string): Promise<boolean>
  /** Puts the recovered work in place as an unsaved document. */
  restore(recovery: Recovery): void
  /** Writes this session's autosave now. */
  autosaveNow(): Promise<void>
  notify(text: string): void
}

/**
 * The recovery banner's state and answers. The shell keeps one copy per session; the banner offers
 * the newest copy an earlier session (or a crashed page) left, by its id:
 * - Discard removes that copy only, never this session's autosave;
 * - Recover asks first when there are edits made since launch, then makes the recovered work this
 *   session's autosave before the old copy goes, so a crash in between loses nothing;
 * - the warning says when the work's file changed on disk after the work was autosaved.
 */
export function useRecoveryOffer(ctx: RecoveryOfferContext) {
  const recovery = ref<Recovery | null>(null)
  const warning = ref<string | null>(null)
  let id: string | null = null

  function hide(): void {
    recovery.value = null
    warning.value = null
    id = null
  }

  async function look(): Promise<void> {
    const host = useHost()
    try {
      const copy = await host.takeRecovery()
      if (!copy) return
      const parsed = parseRecoveryText(copy.text)
      if (parsed.ok) {
        recovery.value = parsed.value
        id = copy.id
        warning.value = recoveryFileChanged(parsed.value, copy.disk)
      } else {
        ctx.notify(`Work from the last session was found but cannot be recovered (${parsed.error}).`)
        await host.discardRecovery(copy.id)
      }
    } catch (e) {
      ctx.notify(`Could not look for work from the last session: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  async function accept(): Promise<boolean> {
    const r = recovery.value
    const copyId = id
    if (!r || !(await ctx.confirmDiscard('recovering the autosaved work'))) return false
    if (recovery.value !== r) return false // answered or replaced while the question was open
    hide()
    ctx.restore(r)
    await ctx.autosaveNow()
    if (copyId) await useHost().discardRecovery(copyId).catch(() => undefined)
    await look()
    return true
  }

  async function dismiss(): Promise<void> {
    const copyId = id
    hide()
    if (copyId) await useHost().discardRecovery(copyId).catch(() => undefined)
    await look()
  }

  return { recovery, warning, look, accept, dismiss }
}
