import { cellNumber, type CsvColumns, type CsvTable } from '@shared/data'

/** What a CSV column becomes in the import dialog. */
export type ColumnRole = 'input' | 'target' | 'skip'

/**
 * The dialog's first guess: every column whose first row is a number is an input, except the last
 * such column, the target (the usual layout of a table: features, then the label). A number is
 * what the import reads as one (csv.ts's cellNumber, with the table's delimiter), so the guess is
 * never a column it refuses. Text columns (a name, an id) are skipped, and so is every column from
 * `shown` on: the dialog offers a choice for the first `shown` only, and nothing it does not show
 * may become an input.
 */
export function defaultRoles(table: CsvTable, shown = Infinity): ColumnRole[] {
  const first = table.rows[0] ?? []
  const isNumber = (cell: string | undefined): boolean => {
    const x = cellNumber(cell ?? '', table.delimiter)
    return x !== null && Number.isFinite(x) // 1e999 reads as Infinity, which the import refuses too
  }
  const roles: ColumnRole[] = table.columns.map((_, c) => (c < shown && isNumber(first[c]) ? 'input' : 'skip'))
  const last = roles.lastIndexOf('input')
  if (last > 0) roles[last] = 'target'
  return roles
}

/** The roles as csv.ts takes them: input columns and target columns, each in table order. */
export function columnsOf(roles: readonly ColumnRole[]): CsvColumns {
  const pick = (role: ColumnRole): number[] => roles.flatMap((r, c) => (r === role ? [c] : []))
  return { inputs: pick('input'), targets: pick('target') }
}
