// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { focusOnOpen } from '../../src/renderer/src/composables/focus-on-open'

describe('focusOnOpen', () => {
  it('focuses the target each time the modal opens, once it is drawn, and leaves the focus alone as it closes', async () => {
    const button = document.createElement('button')
    const other = document.createElement('input')
    document.body.append(button, other)
    const open = ref<string | null>(null)
    const target = ref<HTMLElement | null>(null)
    focusOnOpen(() => open.value, target)

    other.focus()
    open.value = 'checking'
    target.value = button // drawn in the same tick as the opening, as Vue's template ref is
    await nextTick()
    await nextTick()
    expect(document.activeElement).toBe(button)

    other.focus()
    open.value = null
    await nextTick()
    await nextTick()
    expect(document.activeElement).toBe(other)

    open.value = 'done'
    await nextTick()
    await nextTick()
    expect(document.activeElement).toBe(button)
  })
})
