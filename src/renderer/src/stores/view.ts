import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { Theme } from '@shared/ipc'
import { useHost } from '../host'

export type { Theme }
export const PRECISIONS = [4, 6, 8, 10, 12, 15, 17] as const

const KEY = 'backprop-lab.view'

interface Saved {
  theme?: Theme
  precision?: number
  logScale?: boolean
}

function load(): Saved {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as Saved
  } catch {
    return {}
  }
}

/** How things are shown (not what they are): theme, digits, chart scale. Kept across sessions. */
export const useViewStore = defineStore('view', () => {
  const saved = load()
  const theme = ref<Theme>(saved.theme ?? 'system')
  /** Significant digits in the epoch table. */
  const precision = ref<number>(saved.precision ?? 8)
  /** Loss chart's y axis. */
  const logScale = ref<boolean>(saved.logScale ?? false)

  watch([theme, precision, logScale], () => {
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify({ theme: theme.value, precision: precision.value, logScale: logScale.value }))
    } catch {
      // Not worth failing for.
    }
  })

  watch(
    theme,
    (t) => {
      if (typeof document === 'undefined') return
      if (t === 'system') delete document.documentElement.dataset.theme
      else document.documentElement.dataset.theme = t
    },
    { immediate: true }
  )

  let unsubscribe: (() => void) | null = null
  /**
   * Shares the theme through the host, both ways: the shell (the desktop menu, the window's
   * native theme) learns the page's setting now and at every change, and a theme picked in the
   * menu becomes the page's setting (saved, applied). One setting, whoever changes it.
   */
  function init(): void {
    if (unsubscribe) return
    const host = useHost()
    unsubscribe = host.onTheme((t) => (theme.value = t))
    watch(theme, (t) => host.setTheme(t), { immediate: true })
  }

  return { theme, precision, logScale, init }
})
