/**
 * E_tot by epoch, as every reader takes it (the chart, the result check, the table when a job is
 * not recorded in full, the exporters): one interface, one implementation per storage — a column
 * of an epoch table (columnSeries), the trainer's growing array (GrowingSeries), or a plain list
 * such as a saved run's (arraySeries).
 */
import type { EpochTable } from './epoch-table'

/** `data[offset + j]` holds the value at index `index + j`, for j < count. */
export type SegmentVisitor = (data: Float64Array, offset: number, index: number, count: number) => void

export interface LossSeries {
  readonly length: number
  /** The value at index i (epoch i + 1); NaN where the series holds none. */
  get(i: number): number
  /** The values at [from, to) as a fresh array. */
  toArray(from?: number, to?: number): Float64Array
  /** The values at [from, to) (clamped to the length), a stretch of one array at a time, in order, without copying. */
  segments(from: number, to: number, visit: SegmentVisitor): void
}

/** One column of an epoch table as a series: a recorded run's E_tot, read where the table keeps it. */
export function columnSeries(table: EpochTable, col: number): LossSeries {
  return {
    get length() {
      return table.rowCount
    },
    get: (i) => table.get(i, col),
    toArray: (from, to) => table.column(col, from, to),
    segments: (from, to, visit) => table.segments(col, from, to, visit),
  }
}

/** A list of values as a series (a saved run's losses, a test's numbers). */
export function arraySeries(values: ArrayLike<number>): LossSeries {
  const data = values instanceof Float64Array ? values : Float64Array.from(values)
  return {
    length: data.length,
    get: (i) => (i >= 0 && i < data.length ? data[i] : NaN),
    toArray: (from = 0, to = data.length) => data.slice(from, to),
    segments: (from, to, visit) => visitArray(data, data.length, from, to, visit),
  }
}

/** The trainer's E_tot when it records nothing else: a Float64Array that doubles as it fills. */
export class GrowingSeries implements LossSeries {
  private data = new Float64Array(1024)
  length = 0
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = x
  }
  get(i: number): number {
    return i >= 0 && i < this.length ? this.data[i] : NaN
  }
  toArray(from = 0, to = this.length): Float64Array {
    return this.data.slice(from, Math.min(to, this.length))
  }
  segments(from: number, to: number, visit: SegmentVisitor): void {
    visitArray(this.data, this.length, from, to, visit)
  }
}

function visitArray(data: Float64Array, length: number, from: number, to: number, visit: SegmentVisitor): void {
  from = Math.max(0, from)
  to = Math.min(length, to)
  if (to > from) visit(data, from, from, to - from)
}
