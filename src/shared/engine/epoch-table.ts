/**
 * The epoch table: one Float64Array per column, grown in fixed-size chunks so that growing never
 * copies what is already there and a million rows never need one huge allocation.
 * Used by the trainer (one row per epoch), the worker protocol (batches of columns) and the
 * renderer's store (which appends the batches it receives).
 */
export const CHUNK_ROWS = 16384
/** Wide tables (thousands of columns) get shorter chunks, so one chunk of every column stays near 4 MB. */
const CHUNK_BYTES = 4 * 1024 * 1024

/** Stands in for a released chunk. */
const RELEASED = new Float64Array(0)

export class EpochTable {
  readonly names: readonly string[]
  private readonly chunks: Float64Array[][]
  private rows = 0
  /** The last chunk of every column, where appendGather writes. */
  private current: Float64Array[] = []

  /** Rows per chunk: CHUNK_ROWS, fewer for wide tables. */
  readonly chunkRows: number

  constructor(names: readonly string[]) {
    this.names = names
    this.chunkRows = Math.min(CHUNK_ROWS, Math.max(16, Math.floor(CHUNK_BYTES / (8 * Math.max(1, names.length)))))
    this.chunks = names.map(() => [])
  }

  get rowCount(): number {
    return this.rows
  }

  get columnCount(): number {
    return this.names.length
  }

  appendRow(values: ArrayLike<number>): void {
    const c = this.claimRows()
    for (let col = 0; col < this.current.length; col++) this.current[col][c] = values[col]
    this.rows++
  }

  /** Appends the row `source[index[0]], source[index[1]], …`: the trainer's one-gather recording. */
  appendGather(source: Float64Array, index: Int32Array): void {
    const c = this.claimRows()
    const current = this.current
    for (let col = 0; col < current.length; col++) current[col][c] = source[index[col]]
    this.rows++
  }

  /** Appends `count` rows given column by column (as a worker batch carries them). */
  appendColumns(columns: readonly Float64Array[], count: number): void {
    if (columns.length !== this.chunks.length) throw new Error(`batch has ${columns.length} columns, table has ${this.chunks.length}`)
    let done = 0
    while (done < count) {
      const c = this.claimRows()
      const n = Math.min(count - done, this.chunkRows - c)
      for (let col = 0; col < columns.length; col++) this.current[col].set(columns[col].subarray(done, done + n), c)
      done += n
      this.rows += n
    }
  }

  /** Position of the next row in the last chunk, adding a chunk to every column when it is full. */
  private claimRows(): number {
    const c = this.rows % this.chunkRows
    if (c === 0 && this.chunks[0]?.length === this.rows / this.chunkRows) {
      for (const list of this.chunks) list.push(new Float64Array(this.chunkRows))
      this.current = this.chunks.map((list) => list[list.length - 1])
    }
    return c
  }

  get(row: number, col: number): number {
    if (row < 0 || row >= this.rows) return NaN
    return this.chunks[col][(row / this.chunkRows) | 0][row % this.chunkRows]
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.chunks.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /** Rows [from, to) of one column, copied into `out` (a fresh array by default). */
  column(col: number, from = 0, to = this.rows, out = new Float64Array(Math.max(0, to - from))): Float64Array {
    for (let r = from; r < to; ) {
      const k = (r / this.chunkRows) | 0
      const c = r % this.chunkRows
      const n = Math.min(to - r, this.chunkRows - c)
      out.set(this.chunks[col][k].subarray(c, c + n), r - from)
      r += n
    }
    return out
  }

  /**
   * Rows [from, to) of every column: the shape of a worker batch. The columns are views onto one
   * buffer, so a batch of a wide net is one transfer, not one per column (measured on 11,305
   * columns × 10 rows: 274 ms a batch as separate buffers, 41 ms as one).
   */
  slice(from: number, to: number): Float64Array[] {
    const n = Math.max(0, to - from)
    const buffer = new Float64Array(n * this.names.length)
    return this.names.map((_, col) => this.column(col, from, to, buffer.subarray(col * n, (col + 1) * n)))
  }

  /**
   * Frees every whole chunk before `row`: a training worker keeps no copy of rows it has already
   * sent (the page holds them), which halves the memory of a fully recorded run. Released rows
   * read as undefined.
   */
  releaseBefore(row: number): void {
    const k = Math.floor(Math.min(row, this.rows) / this.chunkRows)
    for (const list of this.chunks) for (let i = 0; i < k; i++) list[i] = RELEASED
  }

  /** Drops every row from `count` on (used when a run is reset to an earlier state). */
  truncate(count: number): void {
    this.rows = Math.min(this.rows, Math.max(0, count))
    const keep = Math.ceil(this.rows / this.chunkRows)
    for (const list of this.chunks) list.length = keep
    this.current = this.chunks.map((list) => list[list.length - 1])
  }
}
