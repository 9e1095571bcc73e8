/**
 * How many significant digits a workbook stored, and the tolerance that follows. Excel and
 * LibreOffice store 15–17 digits; Google Sheets about 10; pasted values may carry 6. The rounding
 * of what the workbook stores must never be reported as a mistake.
 */
export function significantDigits(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 1
  for (let d = 1; d < 17; d++) if (Number(x.toPrecision(d)) === x) return d
  return 17
}

/** Relative tolerance for a table whose computed cells carry at most `digits` significant digits. */
export function relativeTolerance(digits: number): number {
  // Full precision: 1e-9 relative. Rounded storage: ten units in the last stored digit, since a
  // value rounded to p digits is off by up to half a unit and later rows build on rounded ones.
  return digits >= 15 ? 1e-9 : Math.max(1e-9, 10 ** (2 - digits))
}

/** The shortest rounding of x that stays within `allowed` of it (η inferred from rounded rows). */
export function shortestWithin(x: number, allowed: number): number {
  for (let d = 1; d <= 15; d++) {
    const r = Number(x.toPrecision(d))
    if (Math.abs(r - x) <= allowed) return r
  }
  return x
}

/** Digits after the decimal point in the shortest form of x (0.000188256 → 9). */
export function decimalPlaces(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0
  return Math.max(0, significantDigits(x) - 1 - Math.floor(Math.log10(Math.abs(x))))
}

export interface Tolerance {
  /** Significant digits the column stores (15+: full precision). */
  digits: number
  relative: number
  /** One unit in the last decimal place the column stores, when values were rounded to places. */
  absolute: number
}

/**
 * A column's tolerance from what its cells store: values pasted as displayed are rounded to a fixed
 * number of decimal places, Google Sheets keeps about 10 significant digits.
 */
export function columnTolerance(values: readonly number[]): Tolerance {
  if (!values.length) return { digits: 17, relative: relativeTolerance(17), absolute: 0 }
  let digits = 1
  let places = 0
  for (const v of values) {
    digits = Math.max(digits, significantDigits(v))
    places = Math.max(places, decimalPlaces(v))
  }
  return { digits, relative: relativeTolerance(digits), absolute: digits < 15 && places <= 12 ? 10 ** -places : 0 }
}
