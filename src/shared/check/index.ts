import { readWorkbookGrid } from './read-xlsx'
import { findTables } from './headers'
import { checkTable, type CheckedTable, type TableReport } from './check-table'
import { UnreadableWorkbook } from './zip-precheck'
import { TableProblem } from './rebuild'

export { SPREADSHEET_MAX_BYTES, UnreadableWorkbook } from './zip-precheck'
export type { CheckedTable, Mismatch, TableReport } from './check-table'
export { formatTable } from './format'

/**
 * Checks a student's backpropagation workbook: every epoch table on every sheet, recomputed with
 * the engine (docs/check-spreadsheet.md). Throws UnreadableWorkbook (one line) when the file is not
 * a readable workbook or holds no table it can check.
 */
export interface WorkbookCheck {
  tables: CheckedTable[]
  /** Tables found but not checkable, one line each ("Sheet1 row 12: …"). */
  problems: string[]
}

export async function checkWorkbook(bytes: Uint8Array, fileName: string): Promise<WorkbookCheck> {
  const grid = await readWorkbookGrid(bytes)
  const tables: CheckedTable[] = []
  const problems: string[] = []
  const base = fileName.replace(/\.[^.]*$/, '')
  for (const sheet of grid.sheets) {
    for (const table of findTables(sheet)) {
      try {
        tables.push(checkTable(grid, table, `${base} — ${sheet.name} row ${table.headerRow}`))
      } catch (e) {
        // A table that cannot be rebuilt (or that the engine refuses) is named, never a crash.
        const message = e instanceof TableProblem ? e.message : `cannot be rebuilt (${(e as Error).message.split('\n')[0]})`
        problems.push(`${sheet.name} row ${table.headerRow}: ${message}`)
      }
    }
  }
  if (!tables.length)
    throw new UnreadableWorkbook(problems[0] ?? 'no epoch table found: no row names the classic sheet’s columns (t1, i1, w1, h1, out_h1, …, E_tot, ∂E/∂w1)')
  return { tables, problems }
}

/** The CLI's JSON: exactly the reports. */
export const reportJson = (check: WorkbookCheck): { tables: TableReport[] } => ({ tables: check.tables.map((t) => t.report) })
