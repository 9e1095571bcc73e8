/**
 * The epoch table: every column of every epoch, columnar, in chunks of any size, so that growing
 * never copies what is already there and a million rows never need one huge allocation. A chunk
 * holds rows [start, start + rows) of every stored column in one array, column after column: stored
 * column p's row start + i is data[p · stride + i] (the layout of a worker batch, see slice), so a
 * row is one array to write into and each column is contiguous to read.
 *
 * It is filled three ways: the trainer writes one row per epoch into a tail chunk of fixed stride
 * (chunkRows, the stride its compiled row writer is made for); the page adopts a worker's long
 * batch as a chunk as it came (transferred, not copied); short batches (steps, slow or wide nets)
 * are copied into a tail that grows by doubling. Columns whose value never changes (a run's inputs
 * and targets) are kept once, not once a row: 4 of the sheet's 31 columns, 13% of a recorded run.
 *
 * Missing cells: a row or column the table does not hold, or a row released by releaseBefore,
 * reads NaN — everywhere (get, row, column, segments).
 */
import type { RowWriter } from './kernel'
import type { SegmentVisitor } from './loss-series'

export const CHUNK_ROWS = 16384
/** Wide tables (thousands of columns) get shorter chunks, so one chunk stays near 4 MB. */
const CHUNK_BYTES = 4 * 1024 * 1024
/** Batches shorter than this are copied into the tail; longer ones are kept as they came. */
const ADOPT_MIN_ROWS = 512
const RELEASED = new Float64Array(0)

/** Gives the zero-filled memory of a new chunk; the default is `new Float64Array(length)`. */
export type ChunkAllocator = (length: number) => Float64Array

export interface TableOptions {
  allocate?: ChunkAllocator
  /** Column number → its value in every row. */
  constants?: ReadonlyMap<number, number>
}

/** The columns kept row by row (all but the constants), and each column's position among them (−1: a constant). */
export function columnPlaces(count: number, constants: ReadonlyMap<number, number>): { stored: Int32Array; place: Int32Array } {
  const stored = Int32Array.from({ length: count }, (_, c) => c).filter((c) => !constants.has(c))
  const place = new Int32Array(count).fill(-1)
  stored.forEach((c, p) => (place[c] = p))
  return { stored, place }
}

/** Rows [start, start + rows) of every stored column; room for `stride` rows a column. */
interface Chunk {
  start: number
  rows: number
  stride: number
  data: Float64Array
}

/** The one array behind columns laid out as a worker packs a batch (column after column), or null. */
function packed(columns: readonly Float64Array[], count: number): Float64Array | null {
  const first = columns[0]
  if (!first) return null
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]
    if (col.buffer !== first.buffer || col.byteOffset !== first.byteOffset + c * count * 8 || col.length < count) return null
  }
  return new Float64Array(first.buffer, first.byteOffset, columns.length * count)
}

export class EpochTable {
  readonly names: readonly string[]
  /** Rows of a fixed-stride chunk (the trainer's): CHUNK_ROWS, fewer for wide tables. */
  readonly chunkRows: number
  /** The columns kept in the chunks, in order (all but the constants). */
  readonly stored: Int32Array
  /** For each column, its position among the stored ones, or -1 for a constant. */
  private readonly place: Int32Array
  private readonly constants: ReadonlyMap<number, number>
  private readonly allocate: ChunkAllocator
  private readonly chunks: Chunk[] = []
  /** The last chunk while it has room for more rows, or null. */
  private tail: Chunk | null = null
  /** A fixed-stride chunk's memory set free (releaseBefore, truncate), reused before new memory is asked for. */
  private spare: Float64Array | null = null
  private rows = 0
  /** Index of the chunk the last read found: reads go mostly in order. */
  private hint = 0

  constructor(names: readonly string[], options: TableOptions = {}) {
    this.names = names
    this.constants = options.constants ?? new Map()
    this.allocate = options.allocate ?? ((length) => new Float64Array(length))
    const places = columnPlaces(names.length, this.constants)
    this.stored = places.stored
    this.place = places.place
    this.chunkRows = Math.min(CHUNK_ROWS, Math.max(16, Math.floor(CHUNK_BYTES / (8 * Math.max(1, this.stored.length)))))
  }

  get rowCount(): number {
    return this.rows
  }

  get columnCount(): number {
    return this.names.length
  }

  /** Appends one row; the entries of constant columns are not read. */
  appendRow(values: ArrayLike<number>): void {
    const tail = this.fixedTail()
    const at = tail.rows
    this.stored.forEach((col, p) => (tail.data[p * tail.stride + at] = values[col]))
    tail.rows++
    this.rows++
  }

  /**
   * Appends the row whose stored column p is `source[index[p]]`: the trainer's one-gather
   * recording; `write`, when given, is that gather compiled for stride chunkRows (compileRowWriter).
   */
  appendGather(source: Float64Array, index: Int32Array, write?: RowWriter | null): void {
    // Once per epoch: the open tail is tested inline (fixedTail's test), a new one opened when full.
    let tail = this.tail
    if (tail === null || tail.rows === tail.stride || tail.stride !== this.chunkRows || tail.data === RELEASED) tail = this.openTail(this.chunkRows)
    const data = tail.data
    let at = tail.rows++
    this.rows++
    if (write) write(source, data, at)
    else for (let p = 0, stride = tail.stride; p < index.length; p++, at += stride) data[at] = source[index[p]]
  }

  /**
   * Appends `count` rows given column by column, the stored columns only (a worker batch). A long
   * batch packed in one buffer becomes a chunk as it is — adopted, not copied: do not reuse it.
   */
  adopt(columns: readonly Float64Array[], count: number): void {
    const cols = this.stored.length
    if (columns.length !== cols) throw new Error(`batch has ${columns.length} columns, table stores ${cols}`)
    if (count <= 0) return
    if (count >= ADOPT_MIN_ROWS) {
      this.sealTail()
      let data = packed(columns, count)
      if (!data) {
        data = new Float64Array(cols * count)
        for (let c = 0; c < cols; c++) data.set(columns[c].subarray(0, count), c * count)
      }
      this.chunks.push({ start: this.rows, rows: count, stride: count, data })
      this.rows += count
      return
    }
    for (let done = 0; done < count; ) {
      let tail = this.tail
      if (tail && tail.rows === tail.stride && tail.stride < this.chunkRows) this.restride(tail, Math.min(this.chunkRows, tail.stride * 2))
      else if (!tail || tail.rows === tail.stride) tail = this.openTail(Math.min(this.chunkRows, Math.max(64, count - done)))
      const n = Math.min(tail.stride - tail.rows, count - done)
      for (let c = 0; c < cols; c++) tail.data.set(columns[c].subarray(done, done + n), c * tail.stride + tail.rows)
      tail.rows += n
      this.rows += n
      done += n
    }
  }

  /** The tail with room for a row at stride chunkRows, opened when there is none. */
  private fixedTail(): Chunk {
    const tail = this.tail
    if (tail && tail.rows < tail.stride && tail.stride === this.chunkRows && tail.data !== RELEASED) return tail
    return this.openTail(this.chunkRows)
  }

  private openTail(stride: number): Chunk {
    this.sealTail()
    const length = stride * this.stored.length
    const reuse = this.spare && this.spare.length === length ? this.spare : null
    if (reuse) this.spare = null
    const tail = { start: this.rows, rows: 0, stride, data: reuse ?? this.allocate(length) }
    this.chunks.push(tail)
    this.tail = tail
    return tail
  }

  /** Moves a chunk's rows into a new array with room for `stride` rows a column. */
  private restride(chunk: Chunk, stride: number): void {
    const data = new Float64Array(stride * this.stored.length)
    for (let c = 0; c < this.stored.length; c++) data.set(chunk.data.subarray(c * chunk.stride, c * chunk.stride + chunk.rows), c * stride)
    chunk.data = data
    chunk.stride = stride
  }

  /** Closes the tail; a copied tail is trimmed to its rows, so no spare room stays allocated behind it. */
  private sealTail(): void {
    const tail = this.tail
    if (!tail) return
    this.tail = null
    if (tail.rows === 0) this.chunks.pop()
    else if (tail.rows !== tail.stride && tail.data !== RELEASED) this.restride(tail, tail.rows)
  }

  /** Index of the chunk holding `row` (0 ≤ row < rowCount). */
  private chunkOf(row: number): number {
    const chunks = this.chunks
    let k = this.hint
    if (k < chunks.length && chunks[k].start <= row && row < chunks[k].start + chunks[k].rows) return k
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (chunks[mid].start <= row) lo = mid
      else hi = mid - 1
    }
    k = lo
    this.hint = k
    return k
  }

  get(row: number, col: number): number {
    if (!(row >= 0 && row < this.rows)) return NaN
    const p = this.place[col]
    if (p === undefined) return NaN
    if (p < 0) return this.constants.get(col)!
    const chunk = this.chunks[this.chunkOf(row)]
    return chunk.data[p * chunk.stride + row - chunk.start] ?? NaN // a released chunk holds nothing
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.names.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /**
   * Rows [from, to) of one column (clamped to the rows held) a chunk at a time, without copying:
   * `visit(data, offset, row, count)` says that `data[offset + j]` holds row `row + j`, for j < count.
   */
  segments(col: number, from: number, to: number, visit: SegmentVisitor): void {
    from = Math.max(0, from)
    to = Math.min(this.rows, to)
    const p = this.place[col]
    if (to <= from) return
    if (p === undefined || p < 0) {
      visit(new Float64Array(to - from).fill(p === undefined ? NaN : this.constants.get(col)!), 0, from, to - from)
      return
    }
    for (let r = from; r < to; ) {
      const chunk = this.chunks[this.chunkOf(r)]
      const n = Math.min(to - r, chunk.start + chunk.rows - r)
      if (chunk.data === RELEASED) visit(new Float64Array(n).fill(NaN), 0, r, n)
      else visit(chunk.data, p * chunk.stride + r - chunk.start, r, n)
      r += n
    }
  }

  /** Rows [from, to) of one column, copied into `out` (a fresh array by default); rows not held read NaN. */
  column(col: number, from = 0, to = this.rows, out = new Float64Array(Math.max(0, to - from))): Float64Array {
    out.fill(NaN, Math.max(0, Math.min(this.rows, to) - from))
    this.segments(col, from, to, (data, offset, row, count) => out.set(data.subarray(offset, offset + count), row - from))
    return out
  }

  /**
   * Rows [from, to) of every stored column (constants left out): a worker batch. The columns are
   * views onto one buffer, so a batch of a wide net is one transfer, not one per column (measured
   * on 11,305 columns × 10 rows: 274 ms a batch as separate buffers, 41 ms as one).
   */
  slice(from: number, to: number): Float64Array[] {
    const n = Math.max(0, to - from)
    const buffer = new Float64Array(n * this.stored.length)
    return Array.from(this.stored, (col, p) => this.column(col, from, to, buffer.subarray(p * n, (p + 1) * n)))
  }

  /**
   * Frees every whole chunk before `row`: a training worker keeps no copy of rows it has already
   * sent (the page holds them), which halves the memory of a fully recorded run. Released rows
   * read NaN. One released chunk is kept to hold the next rows: memory written before costs less
   * to write again than fresh memory (see src/cli/prefault.ts).
   */
  releaseBefore(row: number): void {
    for (const chunk of this.chunks) {
      // Whole chunks only: the open tail is still being written.
      if (chunk.start + chunk.rows > row || (chunk === this.tail && chunk.rows < chunk.stride)) break
      if (chunk.data === RELEASED) continue
      this.keepSpare(chunk.data)
      chunk.data = RELEASED
    }
  }

  /** Drops every row from `count` on (an exporter that has written a block of epochs, a run reset). */
  truncate(count: number): void {
    this.rows = Math.min(this.rows, Math.max(0, count))
    while (this.chunks.length && this.chunks[this.chunks.length - 1].start >= this.rows) this.keepSpare(this.chunks.pop()!.data)
    const last = this.chunks[this.chunks.length - 1]
    if (last) last.rows = this.rows - last.start
    this.tail = last && last.rows < last.stride && last.data !== RELEASED ? last : null
    this.hint = 0
  }

  private keepSpare(data: Float64Array): void {
    if (data !== RELEASED && data.length === this.chunkRows * this.stored.length) this.spare ??= data
  }
}
