/**
 * The epoch table: one Float64Array per column, grown in fixed-size chunks so that growing never
 * copies what is already there and a million rows never need one huge allocation.
 * Used by the trainer (one row per epoch), the worker protocol (batches of columns) and the
 * renderer's store (which appends the batches it receives).
 */
export const CHUNK_ROWS = 16384

export class EpochTable {
  readonly names: readonly string[]
  private readonly chunks: Float64Array[][]
  private rows = 0

  constructor(names: readonly string[]) {
    this.names = names
    this.chunks = names.map(() => [])
  }

  get rowCount(): number {
    return this.rows
  }

  get columnCount(): number {
    return this.names.length
  }

  appendRow(values: ArrayLike<number>): void {
    const c = this.rows % CHUNK_ROWS
    if (c === 0) for (const list of this.chunks) list.push(new Float64Array(CHUNK_ROWS))
    const k = (this.rows / CHUNK_ROWS) | 0
    for (let col = 0; col < this.chunks.length; col++) this.chunks[col][k][c] = values[col]
    this.rows++
  }

  /** Appends `count` rows given column by column (as a worker batch carries them). */
  appendColumns(columns: readonly Float64Array[], count: number): void {
    if (columns.length !== this.chunks.length) throw new Error(`batch has ${columns.length} columns, table has ${this.chunks.length}`)
    let done = 0
    while (done < count) {
      const c = this.rows % CHUNK_ROWS
      if (c === 0) for (const list of this.chunks) list.push(new Float64Array(CHUNK_ROWS))
      const k = (this.rows / CHUNK_ROWS) | 0
      const n = Math.min(count - done, CHUNK_ROWS - c)
      for (let col = 0; col < columns.length; col++) this.chunks[col][k].set(columns[col].subarray(done, done + n), c)
      done += n
      this.rows += n
    }
  }

  get(row: number, col: number): number {
    if (row < 0 || row >= this.rows) return NaN
    return this.chunks[col][(row / CHUNK_ROWS) | 0][row % CHUNK_ROWS]
  }

  row(row: number): Float64Array {
    const out = new Float64Array(this.chunks.length)
    for (let col = 0; col < out.length; col++) out[col] = this.get(row, col)
    return out
  }

  /** Rows [from, to) of one column as a fresh array. */
  column(col: number, from = 0, to = this.rows): Float64Array {
    const out = new Float64Array(Math.max(0, to - from))
    for (let r = from; r < to; ) {
      const k = (r / CHUNK_ROWS) | 0
      const c = r % CHUNK_ROWS
      const n = Math.min(to - r, CHUNK_ROWS - c)
      out.set(this.chunks[col][k].subarray(c, c + n), r - from)
      r += n
    }
    return out
  }

  /** Rows [from, to) of every column: the shape of a worker batch. */
  slice(from: number, to: number): Float64Array[] {
    return this.names.map((_, col) => this.column(col, from, to))
  }

  /** Drops every row from `count` on (used when a run is reset to an earlier state). */
  truncate(count: number): void {
    this.rows = Math.min(this.rows, Math.max(0, count))
    const keep = Math.ceil(this.rows / CHUNK_ROWS)
    for (const list of this.chunks) list.length = keep
  }
}
