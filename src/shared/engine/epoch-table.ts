/**
 * The epoch table: columnar Float64Arrays grown in fixed-size chunks, so that growing never copies
 * what is already there and a million rows never need one huge allocation. A chunk holds
 * `chunkRows` rows of every stored column, column after column (stored column p of chunk k is
 * chunks[k].subarray(p·chunkRows, (p+1)·chunkRows)): one array to write a row into, each column
 * contiguous to read. Columns whose value never changes (a run's inputs and targets) are kept
 * once, not once a row: 4 of the sheet's 31 columns, 13% of a recorded run's memory.
 * Filled by the trainer (one row per epoch); the worker protocol sends slices of it.
 */
import type { RowWriter } from './kernel'

export const CHUNK_ROWS = 16384
/** Wide tables (thousands of columns) get shorter chunks, so one chunk stays near 4 MB. */
const CHUNK_BYTES = 4 * 1024 * 1024
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

export class EpochTable {
  readonly names: readonly string[]
  /** Rows per chunk: CHUNK_ROWS, fewer for wide tables. */
  readonly chunkRows: number
  /** The columns kept in the chunks, in order (all but the constants). */
  readonly stored: Int32Array
  /** For each column, its position among the stored ones, or -1 for a constant. */
  private readonly place: Int32Array
  private readonly constants: ReadonlyMap<number, number>
  private readonly allocate: ChunkAllocator
  private readonly chunks: Float64Array[] = []
  /** A chunk released by releaseBefore, reused before new memory is asked for. */
  private spare: Float64Array | null = null
  private rows = 0

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
    const chunk = this.lastChunk()
    const c = this.rows % this.chunkRows
    this.stored.forEach((col, p) => (chunk[p * this.chunkRows + c] = values[col]))
    this.rows++
  }

  /**
   * Appends the row whose stored column p is `source[index[p]]`: the trainer's one-gather
   * recording; `write`, when given, is that gather compiled for this table's chunkRows
   * (compileRowWriter).
   */
  appendGather(source: Float64Array, index: Int32Array, write?: RowWriter | null): void {
    const chunk = this.lastChunk()
    const stride = this.chunkRows
    let at = this.rows % stride
    if (write) write(source, chunk, at)
    else for (let p = 0; p < index.length; p++, at += stride) chunk[at] = source[index[p]]
    this.rows++
  }

  /** The chunk the next row goes into, added when the last one is full. */
  private lastChunk(): Float64Array {
    const k = (this.rows / this.chunkRows) | 0
    if (k === this.chunks.length) {
      this.chunks.push(this.spare ?? this.allocate(this.chunkRows * this.stored.length))
      this.spare = null
    }
    return this.chunks[k]
  }

  get(row: number, col: number): number {
    if (row < 0 || row >= this.rows) return NaN
    const p = this.place[col]
    if (p < 0) return this.constants.get(col) ?? NaN
    return this.chunks[(row / this.chunkRows) | 0][p * this.chunkRows + (row % this.chunkRows)]
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.names.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /** Rows [from, to) of one column, copied into `out` (a fresh array by default). */
  column(col: number, from = 0, to = this.rows, out = new Float64Array(Math.max(0, to - from))): Float64Array {
    const p = this.place[col]
    if (p < 0) return out.fill(this.constants.get(col) ?? NaN)
    for (let r = from; r < to; ) {
      const k = (r / this.chunkRows) | 0
      const c = r % this.chunkRows
      const n = Math.min(to - r, this.chunkRows - c)
      const start = p * this.chunkRows + c
      out.set(this.chunks[k].subarray(start, start + n), r - from)
      r += n
    }
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
   * read as undefined. One released chunk is kept to hold the next rows: memory written before
   * costs less to write again than fresh memory (see src/cli/prefault.ts).
   */
  releaseBefore(row: number): void {
    const k = Math.floor(Math.min(row, this.rows) / this.chunkRows)
    for (let i = 0; i < k; i++) {
      if (this.chunks[i] !== RELEASED) this.spare ??= this.chunks[i]
      this.chunks[i] = RELEASED
    }
  }

  /** Drops every row from `count` on (used when a run is reset to an earlier state). */
  truncate(count: number): void {
    this.rows = Math.min(this.rows, Math.max(0, count))
    this.chunks.length = Math.ceil(this.rows / this.chunkRows)
  }
}
