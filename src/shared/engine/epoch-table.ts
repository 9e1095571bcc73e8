/**
 * The epoch table: columnar Float64Arrays grown in fixed-size chunks, so that growing never copies
 * what is already there and a million rows never need one huge allocation. A chunk holds
 * `chunkRows` rows of every column, column after column (column c of chunk k is
 * chunks[k].subarray(c·chunkRows, (c+1)·chunkRows)): one array to write a row into, each column
 * contiguous to read.
 * Used by the trainer (one row per epoch), the worker protocol (batches of columns) and the
 * renderer's store (which appends the batches it receives).
 */
export const CHUNK_ROWS = 16384
/** Wide tables (thousands of columns) get shorter chunks, so one chunk stays near 4 MB. */
const CHUNK_BYTES = 4 * 1024 * 1024
const RELEASED = new Float64Array(0)

export class EpochTable {
  readonly names: readonly string[]
  /** Rows per chunk: CHUNK_ROWS, fewer for wide tables. */
  readonly chunkRows: number
  private readonly chunks: Float64Array[] = []
  private rows = 0

  constructor(names: readonly string[]) {
    this.names = names
    this.chunkRows = Math.min(CHUNK_ROWS, Math.max(16, Math.floor(CHUNK_BYTES / (8 * Math.max(1, names.length)))))
  }

  get rowCount(): number {
    return this.rows
  }

  get columnCount(): number {
    return this.names.length
  }

  appendRow(values: ArrayLike<number>): void {
    const chunk = this.lastChunk()
    const c = this.rows % this.chunkRows
    for (let col = 0; col < this.names.length; col++) chunk[col * this.chunkRows + c] = values[col]
    this.rows++
  }

  /** Appends the row `source[index[0]], source[index[1]], …`: the trainer's one-gather recording. */
  appendGather(source: Float64Array, index: Int32Array): void {
    const chunk = this.lastChunk()
    const stride = this.chunkRows
    let at = this.rows % stride
    for (let col = 0; col < index.length; col++, at += stride) chunk[at] = source[index[col]]
    this.rows++
  }

  /** Appends `count` rows given column by column (as a worker batch carries them). */
  appendColumns(columns: readonly Float64Array[], count: number): void {
    if (columns.length !== this.names.length) throw new Error(`batch has ${columns.length} columns, table has ${this.names.length}`)
    let done = 0
    while (done < count) {
      const chunk = this.lastChunk()
      const c = this.rows % this.chunkRows
      const n = Math.min(count - done, this.chunkRows - c)
      for (let col = 0; col < columns.length; col++) chunk.set(columns[col].subarray(done, done + n), col * this.chunkRows + c)
      done += n
      this.rows += n
    }
  }

  /** The chunk the next row goes into, added when the last one is full. */
  private lastChunk(): Float64Array {
    const k = (this.rows / this.chunkRows) | 0
    if (k === this.chunks.length) this.chunks.push(new Float64Array(this.chunkRows * this.names.length))
    return this.chunks[k]
  }

  get(row: number, col: number): number {
    if (row < 0 || row >= this.rows) return NaN
    return this.chunks[(row / this.chunkRows) | 0][col * this.chunkRows + (row % this.chunkRows)]
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.names.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /** Rows [from, to) of one column, copied into `out` (a fresh array by default). */
  column(col: number, from = 0, to = this.rows, out = new Float64Array(Math.max(0, to - from))): Float64Array {
    for (let r = from; r < to; ) {
      const k = (r / this.chunkRows) | 0
      const c = r % this.chunkRows
      const n = Math.min(to - r, this.chunkRows - c)
      const start = col * this.chunkRows + c
      out.set(this.chunks[k].subarray(start, start + n), r - from)
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
    for (let i = 0; i < k; i++) this.chunks[i] = RELEASED
  }

  /** Drops every row from `count` on (used when a run is reset to an earlier state). */
  truncate(count: number): void {
    this.rows = Math.min(this.rows, Math.max(0, count))
    this.chunks.length = Math.ceil(this.rows / this.chunkRows)
  }
}
