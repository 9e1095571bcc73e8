export type CloseChoice = 'save' | 'discard' | 'cancel'

export interface CloseGuardUi {
  /** Asks whether to save the unsaved changes. */
  ask(): Promise<CloseChoice>
  /** Asks the window to save (the renderer holds the document); it ends in saveFinished. */
  requestSave(): void
  /** Closes the window for real. */
  close(): void
  /**
   * The page is gone or hung while the window closes: its autosaved copy must outlive the close
   * (the clean-quit clear that follows removes only a new, empty copy). Called synchronously, before
   * the close goes ahead; the autosave queue keeps the order.
   */
  keepWork(): void
}

/**
 * Closing with unsaved changes asks to save, discard or cancel. The renderer reports whether the
 * document is dirty; the window's close event asks this guard whether to go ahead. While the page
 * has crashed or hangs, nobody can save: the window closes without asking and its autosaved work is
 * kept for the next launch, instead of sending Save to a page that cannot answer.
 */
export class CloseGuard {
  private dirty = false
  private allowed = false
  private asking = false
  private savingToClose = false
  private pageAlive = true
  /** The user chose Don't Save for this page's changes: its recovery copy holds nothing to keep. */
  private discarded = false

  constructor(private readonly ui: CloseGuardUi) {}

  /**
   * A new window (macOS keeps the app running with none, and Dock › activate opens another): it
   * starts clean and alive, and its close asks again. Without this the guard still "allowed" the
   * last window's close, and a new window with unsaved changes closed without a question.
   */
  windowOpened(): void {
    this.dirty = this.allowed = this.asking = this.savingToClose = this.discarded = false
    this.pageAlive = true
  }

  setDirty(dirty: boolean): void {
    this.dirty = dirty
  }

  /** The page crashed or stopped responding (false), or a new page loaded / it answers again (true). */
  setPageAlive(alive: boolean, reloaded = false): void {
    this.pageAlive = alive
    if (!alive) this.savingToClose = false
    // A reloaded page starts clean and reports its own state.
    if (reloaded) this.dirty = this.discarded = false
  }

  /** From the window's close event: true means "prevent this close" (the guard decides later). */
  shouldPreventClose(): boolean {
    if (this.allowed) return false
    if (!this.pageAlive) {
      this.ui.keepWork()
      return false
    }
    if (!this.dirty) return false
    if (!this.asking) {
      // A save asked for by an earlier prompt that never finished (the window did not save) is forgotten.
      this.savingToClose = false
      void this.decide()
    }
    return true
  }

  /**
   * True when the page is alive and its changes were saved or discarded (Don't Save in the close
   * prompt): this session's recovery copy holds nothing to lose and may go when the app quits —
   * kept, the next launch would offer back work the user threw away. A crashed or hung page, or a
   * dirty one nobody answered for, keeps its copy.
   */
  isClean(): boolean {
    return this.pageAlive && (!this.dirty || this.discarded)
  }

  /** The save the window did (any save): closes the window when it was the close prompt's save. */
  saveFinished(saved: boolean): void {
    if (!this.savingToClose) return
    this.savingToClose = false
    if (saved) this.closeNow()
  }

  private async decide(): Promise<void> {
    this.asking = true
    let choice: CloseChoice
    try {
      choice = await this.ui.ask()
    } finally {
      this.asking = false
    }
    if (!this.pageAlive) {
      // The page died while the question was open: Save cannot reach it (the reloaded window offers
      // the work back instead); Don't Save closes but keeps the copy, since the answer was about work
      // the page can no longer show.
      if (choice === 'discard') {
        this.ui.keepWork()
        this.closeNow()
      }
      return
    }
    if (choice === 'discard') {
      this.discarded = true
      this.closeNow()
    } else if (choice === 'save') {
      this.savingToClose = true
      this.ui.requestSave()
    }
  }

  private closeNow(): void {
    this.allowed = true
    this.ui.close()
  }
}

/**
 * `will-quit` handler. A quit from the menu (or the OS) closes the window without
 * `window-all-closed`, whose clear would otherwise never run and leave a stale copy for the next
 * launch to offer. The quit waits once for the writes still under way (`pending`: the window's
 * size and place, written as it closed) and, when the work is clean, for this session's copy to
 * be removed (after any write still queued); then it goes on. Unclean work keeps its copy.
 */
export function settleOnQuit(deps: {
  isClean(): boolean
  clear(): Promise<void>
  pending(): Promise<unknown>
  quit(): void
}): (event: { preventDefault(): void }) => void {
  let settled = false
  return (event) => {
    if (settled) return
    settled = true
    event.preventDefault()
    const work = [deps.pending()]
    if (deps.isClean()) work.push(deps.clear())
    void Promise.allSettled(work).finally(() => deps.quit())
  }
}
