import ExcelJS from 'exceljs'
import type { DefinedName, GridCell, SheetGrid, WorkbookGrid } from './grid'
import { parseRef } from './grid'
import { precheckXlsx, UnreadableWorkbook } from './zip-precheck'

/**
 * An xlsx file's bytes → the checker's plain grid, with exceljs (the in-memory reader: a student's
 * sheet is small, and the zip pre-check bounds what it may unpack). Runs under Node and in the
 * browser; throws UnreadableWorkbook with one line for anything that is not a readable workbook.
 */
export async function readWorkbookGrid(bytes: Uint8Array): Promise<WorkbookGrid> {
  precheckXlsx(bytes)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch (e) {
    throw new UnreadableWorkbook(`not a readable xlsx workbook (${oneLine(e)})`)
  }
  const sheets: SheetGrid[] = []
  wb.eachSheet((ws) => {
    const rows = new Map<number, Map<number, GridCell>>()
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      const cells = new Map<number, GridCell>()
      row.eachCell({ includeEmpty: false }, (c, col) => {
        const cell = toGridCell(c)
        if (cell) cells.set(col, cell)
      })
      if (cells.size) rows.set(r, cells)
    })
    sheets.push({ name: ws.name, rows })
  })
  return { sheets, names: definedNames(wb) }
}

function toGridCell(c: ExcelJS.Cell): GridCell | null {
  const v = c.value as unknown
  if (v === null || v === undefined) return null
  if (typeof v === 'number' || typeof v === 'string') return { value: v, formula: null }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('formula' in o || 'sharedFormula' in o) {
      let formula: string | null = null
      try {
        formula = c.formula ?? null // exceljs translates a shared formula to this cell
      } catch {
        formula = typeof o.formula === 'string' ? o.formula : null
      }
      const result = o.result
      const value = typeof result === 'number' || typeof result === 'string' ? result : null
      return { value, formula }
    }
    if (Array.isArray(o.richText)) return { value: (o.richText as { text: string }[]).map((t) => t.text).join(''), formula: null }
    if (typeof o.text === 'string') return { value: o.text, formula: null }
  }
  return null
}

function definedNames(wb: ExcelJS.Workbook): DefinedName[] {
  const out: DefinedName[] = []
  const model = (wb.definedNames as unknown as { model: { name: string; ranges: string[] }[] }).model ?? []
  for (const { name, ranges } of model) {
    const ref = ranges.length === 1 ? parseRef(ranges[0]) : null
    if (ref?.sheet) out.push({ name, sheet: ref.sheet, row: ref.row, col: ref.col })
  }
  return out
}

const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0].slice(0, 120)
