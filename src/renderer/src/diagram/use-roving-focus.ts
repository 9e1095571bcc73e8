import { nextTick, ref, type Ref } from 'vue'

/** A parameter of the network: weight or bias, 0-based. */
export interface ParamKey {
  kind: 'w' | 'b'
  index: number
}

export const paramName = (p: ParamKey): string => `${p.kind}${p.index + 1}`

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }

/**
 * One tab stop for the diagram's parameters (a roving tabindex): the arrow keys move the focus
 * along `order` (weights, then biases), Home and End jump to its ends, and Enter, F2 or Space act
 * on the focused one. Focusable elements carry `data-key="w5"` inside `root`.
 */
export function useRovingFocus(root: Ref<Element | null>, order: Ref<ParamKey[]>, act: (p: ParamKey, key: 'Enter' | 'F2' | ' ') => void) {
  const focused = ref<ParamKey>({ kind: 'w', index: 0 })
  const tabIndex = (kind: 'w' | 'b', index: number): number => (focused.value.kind === kind && focused.value.index === index ? 0 : -1)

  function focus(p: ParamKey): void {
    focused.value = p
    void nextTick(() => root.value?.querySelector<SVGElement | HTMLElement>(`[data-key="${paramName(p)}"]`)?.focus())
  }

  function onKey(e: KeyboardEvent, p: ParamKey): void {
    if (e.key === 'Enter' || e.key === 'F2' || e.key === ' ') {
      e.preventDefault()
      act(p, e.key)
      return
    }
    const list = order.value
    const i = list.findIndex((o) => o.kind === p.kind && o.index === p.index)
    const next =
      e.key in STEP
        ? list[(i + STEP[e.key] + list.length) % list.length]
        : e.key === 'Home'
          ? list[0]
          : e.key === 'End'
            ? list[list.length - 1]
            : undefined
    if (!next) return
    e.preventDefault()
    focus(next)
  }

  return { focused, tabIndex, focus, onKey }
}
