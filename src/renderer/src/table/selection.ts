/** A rectangle of the epoch table: rows and (visible-column) indices, both inclusive. */
export interface CellRange {
  rows: [number, number]
  cols: [number, number]
}

/**
 * The selected cells as tab-separated text that pastes into a spreadsheet: a header line
 * (epoch, then the column names) and one line per epoch, every number at full precision.
 */
export function selectionTsv(
  names: readonly string[],
  columns: readonly number[],
  rows: [number, number],
  value: (row: number, col: number) => number
): string {
  const lines = [['epoch', ...columns.map((c) => names[c])].join('\t')]
  for (let row = rows[0]; row <= rows[1]; row++) {
    let line = String(row + 1)
    for (const c of columns) line += '\t' + String(value(row, c))
    lines.push(line)
  }
  return lines.join('\n') + '\n'
}
