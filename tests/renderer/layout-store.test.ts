// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { DEFAULT_SPLITS, MIN_SPLIT, useLayoutStore } from '../../src/renderer/src/stores/layout'
import { readableTexts, FONT, MIN_TEXT_PX } from '../../src/renderer/src/diagram/layout'

const KEY = 'backprop-lab.layout'
const fresh = () => {
  setActivePinia(createPinia())
  return useLayoutStore()
}

describe('the layout store', () => {
  beforeEach(() => localStorage.clear())

  it('keeps the splits and the enlarged view across sessions', async () => {
    const layout = fresh()
    expect(layout.splits).toEqual(DEFAULT_SPLITS)
    expect(layout.enlarged).toBeNull()
    layout.setSplit('top', 0.7)
    layout.toggleEnlarged('chart')
    await nextTick()
    const again = fresh()
    expect(again.splits).toEqual({ ...DEFAULT_SPLITS, top: 0.7 })
    expect(again.enlarged).toBe('chart')
    again.toggleEnlarged('chart')
    await nextTick()
    expect(fresh().enlarged).toBeNull()
  })

  it('no view is split away: shares stay within [MIN_SPLIT, 1 − MIN_SPLIT]', () => {
    const layout = fresh()
    layout.setSplit('rows', 0)
    expect(layout.splits.rows).toBe(MIN_SPLIT)
    layout.setSplit('rows', 2)
    expect(layout.splits.rows).toBe(1 - MIN_SPLIT)
    layout.setSplit('bottom', NaN)
    expect(layout.splits.bottom).toBe(DEFAULT_SPLITS.bottom)
  })

  it('a damaged or hostile saved entry gives the default layout', () => {
    for (const saved of ['{', 'null', '"x"', '[1]', JSON.stringify({ splits: 5, enlarged: ['chart'] })]) {
      localStorage.setItem(KEY, saved)
      const layout = fresh()
      expect(layout.splits, saved).toEqual(DEFAULT_SPLITS)
      expect(layout.enlarged).toBeNull()
    }
    localStorage.setItem(KEY, JSON.stringify({ splits: { rows: 'a', top: 1e9, bottom: -1 }, enlarged: 'toString' }))
    const layout = fresh()
    expect(layout.splits).toEqual({ rows: DEFAULT_SPLITS.rows, top: 1 - MIN_SPLIT, bottom: MIN_SPLIT })
    expect(layout.enlarged).toBeNull()
  })
})

describe('readable diagram text', () => {
  it('a kind of text is drawn only while its size on screen is at least 11 px', () => {
    expect(MIN_TEXT_PX).toBe(11)
    expect(Object.values(readableTexts(1)).every(Boolean)).toBe(true)
    expect(Object.values(readableTexts(0.5)).some(Boolean)).toBe(false)
    const scale = MIN_TEXT_PX / FONT.value
    expect(readableTexts(scale).value).toBe(true)
    expect(readableTexts(scale * 0.999).value).toBe(false)
    // The captions are the largest text: they stay longest.
    expect(readableTexts(MIN_TEXT_PX / FONT.caption).caption).toBe(true)
    expect(readableTexts(MIN_TEXT_PX / FONT.caption).label).toBe(false)
  })
})
