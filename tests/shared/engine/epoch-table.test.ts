import { describe, expect, it } from 'vitest'
import { CHUNK_ROWS, EpochTable } from '../../../src/shared/engine/epoch-table'
import { arraySeries, columnSeries, GrowingSeries } from '../../../src/shared/engine/loss-series'

describe('EpochTable: a worker’s batches as the page adopts them', () => {
  const names = ['a', 'b', 'c']
  /** Columns of `count` rows from `from` on: a row r holds r, -r and r / 2. */
  const batch = (from: number, count: number): Float64Array[] => {
    const buffer = new Float64Array(3 * count) // one buffer, three views: as a worker packs a batch
    const cols = [0, 1, 2].map((c) => buffer.subarray(c * count, (c + 1) * count))
    for (let i = 0; i < count; i++) {
      cols[0][i] = from + i
      cols[1][i] = -(from + i)
      cols[2][i] = (from + i) / 2
    }
    return cols
  }

  it('keeps long batches as they came, copies short ones into a tail, and reads every row back', () => {
    const t = new EpochTable(names)
    let rows = 0
    const adopted: { from: number; cols: Float64Array[] }[] = []
    // Short batches (steps), a long one, short ones again, long ones, and enough short ones to fill tails.
    for (const count of [1, 1, 10, 300, 5000, 7, 7, 20_000, 600, 3, ...Array(200).fill(511), 1]) {
      const cols = batch(rows, count)
      if (count >= 512) adopted.push({ from: rows, cols })
      t.adopt(cols, count)
      rows += count
      expect(t.rowCount).toBe(rows)
    }
    let wrong = 0
    for (let r = 0; r < rows; r++) if (t.get(r, 0) !== r || t.get(r, 1) !== -r || t.get(r, 2) !== r / 2) wrong++
    expect(wrong).toBe(0)
    expect(t.get(-1, 0)).toBeNaN()
    expect(t.get(rows, 0)).toBeNaN()
    expect(Array.from(t.row(12_345))).toEqual([12_345, -12_345, 12_345 / 2])
    expect(Array.from(t.column(2, 5000, 5010))).toEqual(Array.from({ length: 10 }, (_, i) => (5000 + i) / 2))
    // Segments cover [from, to) in order, each a stretch of one array.
    let covered = 0
    let off = 0
    t.segments(0, 300, rows + 100, (data, offset, row, count) => {
      expect(row).toBe(300 + covered)
      for (let j = 0; j < count; j++) if (data[offset + j] !== row + j) off++
      covered += count
    })
    expect([covered, off]).toEqual([rows - 300, 0]) // (past the end: clamped)
    // A long batch is the table's storage itself, not a copy.
    adopted[0].cols[0][0] = 42
    expect(t.get(adopted[0].from, 0)).toBe(42)
    expect(() => t.adopt([new Float64Array(1)], 1)).toThrow(/columns/)
  })

  it('a constant column (an input, a target) is not in the batches and reads as its value in every row', () => {
    const t = new EpochTable(['t1', 'a', 'b', 'c'], { constants: new Map([[0, 0.01]]) })
    expect(() => t.adopt(batch(0, 4).concat(new Float64Array(4)), 4)).toThrow(/columns/)
    t.adopt(batch(0, 600), 600)
    t.adopt(batch(600, 3), 3)
    expect(Array.from(t.row(601))).toEqual([0.01, 601, -601, 300.5])
    expect(Array.from(t.column(0, 598, 603))).toEqual(Array(5).fill(0.01))
    expect(t.get(603, 0)).toBeNaN()
  })

  it('copies a long batch whose columns are separate arrays, and a wide table keeps one array per chunk', () => {
    const t = new EpochTable(names)
    const separate = [0, 1, 2].map((c) => Float64Array.from({ length: 600 }, (_, i) => c * 1000 + i))
    t.adopt(separate, 600)
    separate[0][5] = -1 // a copy: the caller's arrays are not the table's
    expect([t.get(5, 0), t.get(5, 2), t.get(599, 1)]).toEqual([5, 2005, 1599])
    // 5,000 columns, ten rows at a time (a wide net's batches): read back exactly.
    const wide = new EpochTable(Array.from({ length: 5000 }, (_, c) => `c${c}`))
    for (let from = 0; from < 300; from += 10) {
      const buffer = new Float64Array(5000 * 10)
      const cols = Array.from({ length: 5000 }, (_, c) => buffer.subarray(c * 10, (c + 1) * 10))
      cols.forEach((col, c) => col.forEach((_, i) => (col[i] = c * 1e6 + from + i)))
      wide.adopt(cols, 10)
    }
    expect(wide.rowCount).toBe(300)
    let wrong = 0
    for (let r = 0; r < 300; r += 7) for (let c = 0; c < 5000; c += 499) if (wide.get(r, c) !== c * 1e6 + r) wrong++
    expect(wrong).toBe(0)
    expect(wide.get(299, 4999)).toBe(4999 * 1e6 + 299)
  })

  it('one column as a series: length, values, copies and stretches', () => {
    const t = new EpochTable(names)
    t.adopt(batch(0, 1000), 1000)
    t.adopt(batch(1000, 5), 5)
    const s = columnSeries(t, 1)
    expect(s.length).toBe(1005)
    expect(s.get(1004)).toBe(-1004)
    expect(Array.from(s.toArray(998, 1002))).toEqual([-998, -999, -1000, -1001])
    let total = 0
    s.segments(0, 1005, (_d, _o, _r, count) => (total += count))
    expect(total).toBe(1005)
  })
})

describe('EpochTable: one rule for a missing cell, whoever filled it', () => {
  it('a row or column it does not hold, or a released row, reads NaN in get, row, column and segments', () => {
    const t = new EpochTable(['a', 'b', 'k'], { constants: new Map([[2, 5]]) })
    for (let r = 0; r < CHUNK_ROWS + 10; r++) t.appendRow([r, -r, 0])
    for (const [row, col] of [[-1, 0], [t.rowCount, 0], [0, 3], [0, -1], [0.5, 0], [NaN, 0]]) expect(t.get(row, col)).toBeNaN()
    expect(t.get(3, 2)).toBe(5)
    expect(Array.from(t.column(0, t.rowCount - 1, t.rowCount + 2))).toEqual([CHUNK_ROWS + 9, NaN, NaN])
    t.releaseBefore(CHUNK_ROWS + 5) // the first chunk is whole and sent; the open tail is kept
    expect([t.get(0, 0), t.get(CHUNK_ROWS - 1, 1), t.get(CHUNK_ROWS, 0), t.get(0, 2)]).toEqual([NaN, NaN, CHUNK_ROWS, 5])
    expect(Array.from(t.row(1))).toEqual([NaN, NaN, 5])
    expect(Array.from(t.column(0, CHUNK_ROWS - 2, CHUNK_ROWS + 1))).toEqual([NaN, NaN, CHUNK_ROWS])
    const seen: number[] = []
    t.segments(1, CHUNK_ROWS - 1, CHUNK_ROWS + 1, (data, offset, _row, count) => seen.push(...data.subarray(offset, offset + count)))
    expect(seen).toEqual([NaN, -CHUNK_ROWS])
    // The rows still held go on growing where they were.
    t.appendRow([1, 2, 0])
    expect(t.get(CHUNK_ROWS + 10, 1)).toBe(2)
  })

  it('the trainer’s fixed-stride tail and adopted batches mix, and truncating reuses the memory', () => {
    let allocated = 0
    const t = new EpochTable(['a'], { allocate: (n) => (allocated++, new Float64Array(n)) })
    for (let r = 0; r < 10; r++) t.appendRow([r])
    t.adopt([Float64Array.from({ length: 600 }, (_, i) => 10 + i)], 600)
    t.adopt([Float64Array.of(610, 611)], 2)
    for (let r = 612; r < 620; r++) t.appendGather(Float64Array.of(r), Int32Array.of(0))
    expect(Array.from(t.column(0))).toEqual(Array.from({ length: 620 }, (_, i) => i))
    t.truncate(5)
    expect(t.rowCount).toBe(5)
    t.appendRow([99])
    expect([t.get(4, 0), t.get(5, 0), t.get(6, 0)]).toEqual([4, 99, NaN])
    const before = allocated
    t.truncate(0)
    for (let r = 0; r < 3; r++) t.appendRow([r])
    expect(allocated).toBe(before) // the dropped chunk holds the new rows
  })
})

describe('LossSeries: one interface, one implementation per storage', () => {
  it('a table column, a growing array and a plain list read alike', () => {
    const t = new EpochTable(['x', 'E'])
    const grow = new GrowingSeries()
    const values = Array.from({ length: 3000 }, (_, i) => Math.sin(i))
    values.forEach((v) => (t.appendRow([0, v]), grow.push(v)))
    for (const s of [columnSeries(t, 1), grow, arraySeries(values)]) {
      expect(s.length).toBe(3000)
      expect([s.get(2999), s.get(3000), s.get(-1)]).toEqual([values[2999], NaN, NaN])
      expect(Array.from(s.toArray(10, 13))).toEqual(values.slice(10, 13))
      const got: number[] = []
      s.segments(-5, 4000, (data, offset, index, count) => {
        expect(index).toBe(got.length)
        got.push(...data.subarray(offset, offset + count))
      })
      expect(got).toEqual(values)
    }
  })
})
