/**
 * Where the epoch table's scrolled columns lie: shown columns 1…count−1 (0, E_tot, is pinned),
 * each `colW` wide except the folded targets-and-inputs column (`foldAt`, −1 when there is none),
 * which is narrow. x runs from the start of the scrolled strip. Only whole columns are drawn, so
 * the table asks which columns lie wholly inside [x, x + width].
 */
export interface Strip {
  count: number
  colW: number
  foldAt: number
  foldW: number
}

/** Left edge of shown column i (1 ≤ i ≤ count; leftOf(count) is the strip's width). */
export function leftOf(s: Strip, i: number): number {
  return (i - 1) * s.colW - (s.foldAt >= 1 && i > s.foldAt ? s.colW - s.foldW : 0)
}

export function widthOf(s: Strip, i: number): number {
  return i === s.foldAt ? s.foldW : s.colW
}

/** Smallest i in [lo, hi] with ok(i), or hi when none is (ok is false then true along the range). */
function firstTrue(lo: number, hi: number, ok: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ok(mid)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The first column whose left edge is at or right of x. */
export function firstWhole(s: Strip, x: number): number {
  return firstTrue(1, s.count, (i) => leftOf(s, i) >= x - 0.5)
}

/** One past the last column whose right edge is at or left of x. */
export function endWhole(s: Strip, x: number): number {
  return Math.max(
    1,
    firstTrue(1, s.count, (i) => leftOf(s, i + 1) > x + 0.5)
  )
}

/**
 * Where to scroll (a column's left edge) so column i is wholly in a view `width` wide now at
 * `scrollLeft`: unchanged when it already is, else just enough, or with i in the middle (`centre`).
 */
export function scrollToShow(s: Strip, i: number, scrollLeft: number, width: number, centre: boolean): number {
  const left = leftOf(s, i)
  const right = left + widthOf(s, i)
  if (centre) return leftOf(s, firstWhole(s, Math.min(left, (left + right - width) / 2)))
  if (left < scrollLeft) return left
  if (right > scrollLeft + width) return leftOf(s, Math.min(i, firstWhole(s, right - width)))
  return scrollLeft
}
