/** The x range the chart shows: null bounds mean "the data's own". Pure math for drag and wheel zoom. */
export interface XRange {
  min: number
  max: number
}

/** Smallest range a zoom may reach, in epochs. */
export const MIN_SPAN = 2

/** The range between two pixel positions of a drag, or null when the drag is too short to mean a zoom. */
export function dragRange(startPx: number, endPx: number, toValue: (px: number) => number, minPixels = 5): XRange | null {
  if (Math.abs(endPx - startPx) < minPixels) return null
  const a = toValue(Math.min(startPx, endPx))
  const b = toValue(Math.max(startPx, endPx))
  return clampRange({ min: a, max: b }, { min: -Infinity, max: Infinity })
}

/**
 * Zooms `current` about `at` (a value on the axis): factor < 1 zooms in, > 1 out.
 * The result stays inside `full` and is never narrower than MIN_SPAN.
 */
export function zoomAt(current: XRange, at: number, factor: number, full: XRange): XRange {
  const min = at - (at - current.min) * factor
  const max = at + (current.max - at) * factor
  return clampRange({ min, max }, full)
}

export function clampRange(r: XRange, full: XRange): XRange {
  let { min, max } = r
  if (max - min < MIN_SPAN) {
    const mid = (min + max) / 2
    min = mid - MIN_SPAN / 2
    max = mid + MIN_SPAN / 2
  }
  const span = max - min
  if (span >= full.max - full.min) return { ...full }
  if (min < full.min) return { min: full.min, max: full.min + span }
  if (max > full.max) return { min: full.max - span, max: full.max }
  return { min, max }
}

/** Mouse wheel delta → zoom factor (one notch ≈ 15 %). */
export function wheelFactor(deltaY: number): number {
  return Math.exp(Math.max(-1, Math.min(1, deltaY / 100)) * 0.15)
}
