// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { formatNumber } from '../../src/renderer/src/format'

beforeEach(() => {
  window.localStorage.clear()
  setActivePinia(createPinia())
})

describe('useViewStore and number formatting', () => {
  it('formats with the chosen significant digits, as the sheet shows them', () => {
    expect(formatNumber(0.0448584712746026, 8)).toBe('0.044858471')
    expect(formatNumber(0.0448584712746026, 17)).toBe('0.0448584712746026') // shortest text that reads back exactly
    expect(Number(formatNumber(0.0448584712746026, 17))).toBe(0.0448584712746026)
    expect(formatNumber(-0.00001234567, 4)).toBe('-1.235e-5')
    expect(formatNumber(1e-300, 6)).toBe('1e-300')
    expect(formatNumber(0, 6)).toBe('0')
    expect(formatNumber(Infinity, 6)).toBe('∞')
    expect(formatNumber(NaN, 6)).toBe('')
  })

  it('keeps the view settings and applies a pinned theme to the page', async () => {
    const view = useViewStore()
    expect(view.theme).toBe('system')
    expect(document.documentElement.dataset.theme).toBeUndefined()
    view.theme = 'dark'
    view.precision = 12
    await nextTick()
    expect(document.documentElement.dataset.theme).toBe('dark')
    setActivePinia(createPinia())
    const again = useViewStore()
    expect(again.precision).toBe(12)
    expect(again.theme).toBe('dark')
  })
})
