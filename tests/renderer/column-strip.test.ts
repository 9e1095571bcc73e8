import { describe, expect, it } from 'vitest'
import { endWhole, firstWhole, leftOf, scrollToShow, widthOf, type Strip } from '../../src/renderer/src/table/column-strip'

// Shown columns 1…9 (0 is pinned); column 1 is the folded one, 30 px; the others 100 px.
const folded: Strip = { count: 10, colW: 100, foldAt: 1, foldW: 30 }
const plain: Strip = { count: 10, colW: 100, foldAt: -1, foldW: 30 }

describe('the epoch table column strip', () => {
  it('places each column after the narrow folded one', () => {
    expect([1, 2, 3, 10].map((i) => leftOf(folded, i))).toEqual([0, 30, 130, 830])
    expect([1, 2, 3, 10].map((i) => leftOf(plain, i))).toEqual([0, 100, 200, 900])
    expect([widthOf(folded, 1), widthOf(folded, 2)]).toEqual([30, 100])
  })

  it('gives only whole columns for a view', () => {
    // View [30, 280]: column 2 (30–130) and 3 (130–230) fit; 4 (230–330) does not.
    expect([firstWhole(folded, 30), endWhole(folded, 280)]).toEqual([2, 4])
    // View [31, 281]: column 2 starts left of it, so the first whole one is 3.
    expect(firstWhole(folded, 31)).toBe(3)
    expect([firstWhole(plain, 0), endWhole(plain, 250)]).toEqual([1, 3])
    expect(endWhole(plain, 10_000)).toBe(10)
  })

  it('scrolls to a column edge to show a column whole, centred or just enough', () => {
    expect(scrollToShow(folded, 3, 0, 250, false)).toBe(0) // already whole: stays
    expect(scrollToShow(folded, 5, 0, 250, false)).toBe(230) // right edge 430 − 250 = 180 → next edge at 230
    expect(scrollToShow(folded, 2, 300, 250, false)).toBe(30)
    const x = scrollToShow(plain, 6, 0, 350, true)
    expect(x % 100).toBe(0)
    expect(leftOf(plain, 6) - x).toBeGreaterThanOrEqual(100) // a neighbour on its left, whole
    expect(leftOf(plain, 7)).toBeLessThanOrEqual(x + 350)
  })
})
