/** The one theme setting: the page's select and the desktop app's menu both change it, through the host. */
export const THEMES = ['system', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

/**
 * The shell's side of the theme setting (the desktop app's main process). The page keeps it (saved with its other view
 * settings) and tells it at start and at every change; the menu can change it too, and then the
 * page is told. Either way the window's native theme and the menu's check mark follow.
 */
export class ThemeSetting {
  private current: Theme = 'system'

  constructor(
    /** Applies a theme to the shell: nativeTheme.themeSource, the menu's check mark. */
    private readonly apply: (theme: Theme) => void,
    /** Tells the page (an IPC event). */
    private readonly tellPage: (theme: Theme) => void
  ) {}

  get value(): Theme {
    return this.current
  }

  /** The page's setting: at start (its saved one) or chosen in its select. */
  fromPage(theme: Theme): void {
    if (theme === this.current) return
    this.current = theme
    this.apply(theme)
  }

  /** Chosen in the app menu. */
  fromMenu(theme: Theme): void {
    if (theme === this.current) return
    this.current = theme
    this.apply(theme)
    this.tellPage(theme)
  }
}
