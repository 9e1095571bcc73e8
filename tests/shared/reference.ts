import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** The sheet's numbers (tests/fixtures/backpropagation-sheet.json; its provenance is in tests/fixtures/README.md). */
export interface SheetTable {
  columns: string[]
  rows: Record<string, number>[]
}
export interface Sheet {
  summary: { learningRates: number[]; eTotal: Record<string, number[]> }
  eta_0_5: SheetTable
  eta_2: SheetTable
}

const SHEET_JSON = resolve(__dirname, '../fixtures/backpropagation-sheet.json')

export function loadSheet(): Sheet {
  return JSON.parse(readFileSync(SHEET_JSON, 'utf8')) as Sheet
}

/** The sheet writes ∂ as a mathematical bold letter; the app writes the ordinary ∂. */
export const appColumnName = (sheetName: string): string => sheetName.replaceAll('𝟃', '∂')

export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300)
}

/** |a − b| relative to the larger magnitude of the two (symmetric; 0 when equal, NaN for NaN). */
export const relError = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))
