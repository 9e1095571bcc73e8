import { formatIn, needsExponent } from './table/format'

/** How the views write one number (the chart, the diagram, the chain rule); a table column is formatted together by formatColumn. */

/** A number with `precision` significant digits, as a spreadsheet would show it. */
export function formatNumber(x: number, precision: number): string {
  return formatIn(x, precision, needsExponent(x, precision))
}
