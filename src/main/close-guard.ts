export type CloseChoice = 'save' | 'discard' | 'cancel'

export interface CloseGuardUi {
  /** Asks whether to save the unsaved changes. */
  ask(): Promise<CloseChoice>
  /** Asks the window to save (the renderer holds the document); it ends in saveFinished. */
  requestSave(): void
  /** Closes the window for real. */
  close(): void
}

/**
 * Closing with unsaved changes asks to save, discard or cancel. The renderer reports whether the
 * document is dirty; the window's close event asks this guard whether to go ahead.
 */
export class CloseGuard {
  private dirty = false
  private allowed = false
  private asking = false
  private savingToClose = false

  constructor(private readonly ui: CloseGuardUi) {}

  setDirty(dirty: boolean): void {
    this.dirty = dirty
  }

  /** From the window's close event: true means "prevent this close" (the guard decides later). */
  shouldPreventClose(): boolean {
    if (this.allowed || !this.dirty) return false
    if (!this.asking) {
      // A save asked for by an earlier prompt that never finished (the window did not save) is forgotten.
      this.savingToClose = false
      void this.decide()
    }
    return true
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
    if (choice === 'discard') this.closeNow()
    else if (choice === 'save') {
      this.savingToClose = true
      this.ui.requestSave()
    }
  }

  private closeNow(): void {
    this.allowed = true
    this.ui.close()
  }
}
