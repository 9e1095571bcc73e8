/**
 * What the shell does when the window's page crashes (`render-process-gone`) or hangs
 * (`unresponsive`): the page's autosaved work is kept as a recovery copy, the page is reloaded, and
 * the reloaded page finds that copy and offers it back. No electron import: index.ts forwards the
 * events and gives the actions.
 */
export type HangAnswer = 'reload' | 'wait'

export interface RendererWatchDeps {
  /** Turns the page's autosave into a recovery copy that nothing in this session removes. */
  keepWork(): Promise<void>
  /** Loads the page again (webContents.reload). */
  reload(): void
  /** Ends a hung page so it can be reloaded (webContents.forcefullyCrashRenderer). */
  killPage(): void
  /** "The window is not responding": reload it, or keep waiting. */
  askHung(): Promise<HangAnswer>
  /** The page keeps crashing: it is not reloaded again; the user is told the work is kept. */
  tellGivenUp(): void
  /** The close guard: no Save prompt for a page that cannot answer. */
  guard: { setPageAlive(alive: boolean, reloaded?: boolean): void }
  now?: () => number
}

/** More crashes than this within CRASH_WINDOW_MS stop the reloads: a page that crashes at once would loop. */
export const MAX_CRASHES = 3
export const CRASH_WINDOW_MS = 60_000

export class RendererWatch {
  private crashes: number[] = []
  private hung = false
  private asking = false
  private readonly now: () => number

  constructor(private readonly deps: RendererWatchDeps) {
    this.now = deps.now ?? Date.now
  }

  /** render-process-gone. 'clean-exit' is the page ending with its window, not a crash. */
  async gone(reason: string): Promise<void> {
    if (reason === 'clean-exit') return
    this.hung = false
    this.deps.guard.setPageAlive(false)
    await this.deps.keepWork()
    const t = this.now()
    this.crashes = [...this.crashes.filter((at) => t - at < CRASH_WINDOW_MS), t]
    if (this.crashes.length > MAX_CRASHES) this.deps.tellGivenUp()
    else this.deps.reload()
  }

  /** unresponsive: asks once; Reload ends the page, and gone() keeps its work and reloads it. */
  async unresponsive(): Promise<void> {
    this.hung = true
    this.deps.guard.setPageAlive(false)
    if (this.asking) return
    this.asking = true
    let answer: HangAnswer
    try {
      answer = await this.deps.askHung()
    } finally {
      this.asking = false
    }
    // The page may have come back while the question was open: then there is nothing to do.
    if (answer === 'reload' && this.hung) this.deps.killPage()
  }

  /** responsive: the hang is over. */
  responsive(): void {
    if (!this.hung) return
    this.hung = false
    this.deps.guard.setPageAlive(true)
  }

  /** did-finish-load: a fresh page, clean until it reports otherwise. */
  loaded(): void {
    this.hung = false
    this.deps.guard.setPageAlive(true, true)
  }
}
