import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

/** The views of the work area (the decision boundary only for 2-D data). */
export const PANELS = ['diagram', 'chart', 'boundary', 'table', 'chain'] as const
export type PanelId = (typeof PANELS)[number]

/** Where the work area is split, as fractions: the top row's share of the height, and in each row the left view's share. */
export interface Splits {
  rows: number
  top: number
  bottom: number
}

export const DEFAULT_SPLITS: Splits = { rows: 0.45, top: 0.62, bottom: 0.6 }
/** No view is split away below this share (each can still be enlarged). */
export const MIN_SPLIT = 0.15

const KEY = 'backprop-lab.layout'

const clampSplit = (x: unknown, fallback: number): number =>
  typeof x === 'number' && Number.isFinite(x) ? Math.min(1 - MIN_SPLIT, Math.max(MIN_SPLIT, x)) : fallback

function load(): { splits: Splits; enlarged: PanelId | null } {
  let saved: { splits?: Partial<Record<keyof Splits, unknown>>; enlarged?: unknown } = {}
  try {
    saved = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') ?? {}
  } catch {
    // A damaged entry is the default layout, not an error.
  }
  const s = saved.splits ?? {}
  return {
    splits: {
      rows: clampSplit(s.rows, DEFAULT_SPLITS.rows),
      top: clampSplit(s.top, DEFAULT_SPLITS.top),
      bottom: clampSplit(s.bottom, DEFAULT_SPLITS.bottom),
    },
    enlarged: PANELS.includes(saved.enlarged as PanelId) ? (saved.enlarged as PanelId) : null,
  }
}

/** How the window's work area is laid out: where it is split, and which view fills the window. Kept across sessions. */
export const useLayoutStore = defineStore('layout', () => {
  const saved = load()
  const splits = ref<Splits>(saved.splits)
  const enlarged = ref<PanelId | null>(saved.enlarged)

  function setSplit(which: keyof Splits, value: number): void {
    splits.value = { ...splits.value, [which]: clampSplit(value, splits.value[which]) }
  }
  function toggleEnlarged(panel: PanelId): void {
    enlarged.value = enlarged.value === panel ? null : panel
  }

  watch([splits, enlarged], () => {
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify({ splits: splits.value, enlarged: enlarged.value }))
    } catch {
      // Not worth failing for.
    }
  })

  return { splits, enlarged, setSplit, toggleEnlarged }
})
