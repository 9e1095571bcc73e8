/** How the views write numbers (the table, the chart, the diagram, the chain rule). */

/** A number with `precision` significant digits, as a spreadsheet would show it. */
export function formatNumber(x: number, precision: number): string {
  if (Number.isNaN(x)) return ''
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞'
  if (x === 0) return '0'
  const a = Math.abs(x)
  if (a >= 1e-4 && a < 1e15) return String(Number(x.toPrecision(precision)))
  return x.toExponential(Math.max(0, precision - 1)).replace(/\.?0+e/, 'e')
}
