import { nextTick, watch, type Ref, type WatchSource } from 'vue'

/**
 * A modal puts the keyboard on its first button as it opens: whenever `open` changes to a truthy
 * value, `target` is focused once the modal is drawn.
 */
export function focusOnOpen(open: WatchSource<unknown>, target: Readonly<Ref<HTMLElement | null | undefined>>): void {
  watch(open, async (value) => {
    if (!value) return
    await nextTick()
    target.value?.focus()
  })
}
