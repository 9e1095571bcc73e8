import type { LossSeries } from '@shared/engine/loss-series'
import type { Point } from './loss-series'
import type { XRange } from './zoom'

type Stretch = [data: Float64Array, offset: number, index: number, count: number]

/** The stretches of [from, to), each in one array (the series' own storage, never copied). */
function stretches(losses: LossSeries, from: number, to: number): Stretch[] {
  const out: Stretch[] = []
  losses.segments(from, to, (data, offset, index, count) => out.push([data, offset, index, count]))
  return out
}

/**
 * Min-max decimation of the epochs at indices [from, to) into `buckets` equal buckets (one per
 * pixel column of the plot): each bucket gives its smallest and its largest E_tot, in epoch order,
 * so a spike or a divergence stays visible however long the run. The first and last epochs of the
 * range are always kept, so the line starts and ends where the data does. At most
 * 2 × buckets + 2 points; a range that short is returned whole. Points are {x: epoch (1-based), y}.
 * NaN values are skipped inside a bucket; a bucket of nothing but NaN gives one NaN point (a gap).
 * One tight pass over the values: a million take a few milliseconds.
 */
export function decimateMinMax(losses: LossSeries, from: number, to: number, buckets: number): Point[] {
  from = Math.max(0, Math.floor(from))
  to = Math.min(losses.length, Math.ceil(to))
  const n = to - from
  const out: Point[] = []
  if (n <= 0) return out
  const b = Math.max(1, Math.floor(buckets))
  if (n <= 2 * b + 2) {
    for (let i = from; i < to; i++) out.push({ x: i + 1, y: losses.get(i) })
    return out
  }
  const last = to - 1
  out.push({ x: from + 1, y: losses.get(from) })
  const push = (i: number, y: number): void => {
    if (i !== from && i !== last) out.push({ x: i + 1, y })
  }
  const parts = stretches(losses, from, to)
  let part = 0
  // Bucket k holds the indices [from + ⌊k·n/b⌋, from + ⌊(k+1)·n/b⌋): at least two each, as n > 2b.
  // (Plain locals in the loops, no closure over them: this runs at the speed of a bare loop.)
  for (let k = 0; k < b; k++) {
    const lo = from + Math.floor((k * n) / b)
    const hi = from + Math.floor(((k + 1) * n) / b)
    let minI = -1
    let maxI = -1
    let minY = Infinity
    let maxY = -Infinity
    let i = lo
    while (i < hi) {
      while (parts[part][2] + parts[part][3] <= i) part++
      const [data, offset, index, count] = parts[part]
      const end = Math.min(hi, index + count)
      const shift = offset - index
      // Comparisons with NaN are false: a NaN never becomes the bucket's min or max.
      for (; i < end; i++) {
        const y = data[shift + i]
        if (y < minY) {
          minY = y
          minI = i
        }
        if (y > maxY) {
          maxY = y
          maxI = i
        }
      }
    }
    if (minI < 0 && maxI < 0)
      push(lo, losses.get(lo)) // nothing but NaN: a gap
    else if (minI < 0 || minI === maxI)
      push(maxI, maxY) // (all +Infinity, or one value)
    else if (maxI < 0)
      push(minI, minY) // (all −Infinity)
    else if (minI < maxI) {
      push(minI, minY)
      push(maxI, maxY)
    } else {
      push(maxI, maxY)
      push(minI, minY)
    }
  }
  out.push({ x: last + 1, y: losses.get(last) })
  return out
}

/**
 * Indices [from, to) of the epochs a zoomed x range (in epochs, 1-based, possibly fractional)
 * shows, plus one epoch beyond each edge so the line runs to the plot's border.
 */
export function visibleIndices(length: number, range: XRange | null): [number, number] {
  if (!range) return [0, length]
  const from = Math.max(0, Math.floor(range.min) - 2)
  const to = Math.min(length, Math.ceil(range.max) + 1)
  return [Math.min(from, to), to]
}

/** Index of the point whose x is nearest `x` in points sorted by x (-1 when there are none). */
export function nearestIndex(points: readonly Point[], x: number): number {
  if (!points.length) return -1
  let lo = 0
  let hi = points.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (points[mid].x <= x) lo = mid
    else hi = mid
  }
  return Math.abs(points[hi].x - x) < Math.abs(points[lo].x - x) ? hi : lo
}

/**
 * Min-max decimation of a whole, growing series, kept up to date as epochs arrive: buckets are
 * aligned to multiples of a power-of-two width (so when the series outgrows `buckets` buckets,
 * neighbours merge exactly: the min of two mins, the max of two maxes) and only the epochs new
 * since the last update are read. Gives at most 2 × buckets + 2 points, like decimateMinMax, for
 * the cost of the new epochs — what the chart redraws while a long run trains.
 */
export class GrowingDecimation {
  /** Epochs per bucket (a power of two). */
  private width = 1
  /** Per bucket: the index and value of its min and of its max (-1: none yet, or only NaN). */
  private minI: number[] = []
  private minY: number[] = []
  private maxI: number[] = []
  private maxY: number[] = []
  /** Epochs read so far. */
  private read = 0

  constructor(readonly buckets: number) {}

  /** Reads the epochs added since the last call (a series that shrank, or another series, starts over). */
  update(losses: LossSeries): void {
    const n = losses.length
    if (n < this.read) this.reset()
    if (n === this.read) return
    for (const [data, offset, index, count] of stretches(losses, this.read, n)) {
      // A bucket at a time: its part of this stretch in one tight loop (the page reads tens of
      // thousands of new epochs per redraw while a run trains).
      for (let j = 0; j < count; ) {
        const k = Math.floor((index + j) / this.width)
        if (k >= this.buckets) {
          this.merge()
          continue
        }
        if (k === this.minI.length) {
          this.minI.push(-1)
          this.minY.push(Infinity)
          this.maxI.push(-1)
          this.maxY.push(-Infinity)
        }
        const end = Math.min(count, (k + 1) * this.width - index)
        let minI = this.minI[k]
        let minY = this.minY[k]
        let maxI = this.maxI[k]
        let maxY = this.maxY[k]
        for (; j < end; j++) {
          const y = data[offset + j]
          if (y < minY) {
            minY = y
            minI = index + j
          }
          if (y > maxY) {
            maxY = y
            maxI = index + j
          }
        }
        this.minI[k] = minI
        this.minY[k] = minY
        this.maxI[k] = maxI
        this.maxY[k] = maxY
      }
    }
    this.read = n
  }

  /** The points, as decimateMinMax gives them: first and last epochs, then each bucket's min and max in order. */
  points(losses: LossSeries): Point[] {
    this.update(losses)
    const n = this.read
    if (n <= 2 * this.buckets + 2) return decimateMinMax(losses, 0, n, this.buckets)
    const last = n - 1
    const out: Point[] = [{ x: 1, y: losses.get(0) }]
    const push = (i: number, y: number): void => {
      if (i > 0 && i < last) out.push({ x: i + 1, y })
    }
    for (let k = 0; k < this.minI.length; k++) {
      const a = this.minI[k]
      const b = this.maxI[k]
      if (a < 0 && b < 0) push(k * this.width, losses.get(k * this.width))
      else if (a < 0 || a === b) push(b, this.maxY[k])
      else if (b < 0) push(a, this.minY[k])
      else if (a < b) {
        push(a, this.minY[k])
        push(b, this.maxY[k])
      } else {
        push(b, this.maxY[k])
        push(a, this.minY[k])
      }
    }
    out.push({ x: n, y: losses.get(last) })
    return out
  }

  private reset(): void {
    this.width = 1
    this.minI = []
    this.minY = []
    this.maxI = []
    this.maxY = []
    this.read = 0
  }

  /** Doubles the bucket width: bucket k of the new width is buckets 2k and 2k + 1 of the old. */
  private merge(): void {
    const half = Math.ceil(this.minI.length / 2)
    for (let k = 0; k < half; k++) {
      const a = 2 * k
      const b = a + 1
      let minI = this.minI[a]
      let minY = this.minY[a]
      let maxI = this.maxI[a]
      let maxY = this.maxY[a]
      if (b < this.minI.length) {
        if (this.minI[b] >= 0 && (minI < 0 || this.minY[b] < minY)) {
          minI = this.minI[b]
          minY = this.minY[b]
        }
        if (this.maxI[b] >= 0 && (maxI < 0 || this.maxY[b] > maxY)) {
          maxI = this.maxI[b]
          maxY = this.maxY[b]
        }
      }
      this.minI[k] = minI
      this.minY[k] = minY
      this.maxI[k] = maxI
      this.maxY[k] = maxY
    }
    this.minI.length = this.minY.length = this.maxI.length = this.maxY.length = half
    this.width *= 2
  }
}
