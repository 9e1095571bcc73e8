/**
 * One notation per column: a column whose values (those shown) need an exponent at this precision
 * shows every value with one, so 2.93e-5 never sits above 0.00012 in plain decimals. The digits
 * are always `precision` significant ones (trailing zeros dropped, as a spreadsheet's General does).
 */
export function needsExponent(x: number, precision: number): boolean {
  const a = Math.abs(x)
  return Number.isFinite(a) && a !== 0 && (a < 1e-4 || a >= 10 ** precision)
}

export function formatIn(x: number, precision: number, exponent: boolean): string {
  if (Number.isNaN(x)) return ''
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞'
  if (x === 0) return '0'
  if (!exponent) return String(Number(x.toPrecision(precision)))
  return x.toExponential(Math.max(0, precision - 1)).replace(/\.?0+e/, 'e')
}

/** Formats a column's shown values together: the notation is the column's, not each value's. */
export function formatColumn(values: readonly number[], precision: number): string[] {
  const exponent = values.some((x) => needsExponent(x, precision))
  return values.map((x) => formatIn(x, precision, exponent))
}
