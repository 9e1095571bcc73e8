/**
 * One JSON value as the files write it: JSON.stringify's form, except that −0 stays "-0" (which
 * JSON.parse reads back as −0), so a saved weight or input keeps its exact bits.
 */
export function jsonScalar(value: unknown): string {
  return Object.is(value, -0) ? '-0' : (JSON.stringify(value) ?? 'null')
}

/** A list of numbers joined by `separator`: the native serializer in one go unless a −0 needs care. */
export function jsonNumbers(values: ArrayLike<number>, separator: string): string {
  const list = Array.isArray(values) ? (values as number[]) : Array.from(values)
  if (!list.some((x) => Object.is(x, -0))) {
    const s = JSON.stringify(list)
    return separator === ',' ? s : s.split(',').join(separator) // numbers hold no commas
  }
  return '[' + list.map(jsonScalar).join(separator) + ']'
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, values as jsonScalar
 * writes them. Two files with the same content have the same canonical form, however they are
 * indented. Depth is bounded by the parser's nesting limit before this is called.
 */
export function canonicalJson(value: unknown): string {
  if (ArrayBuffer.isView(value)) return jsonNumbers(value as Float64Array, ',')
  if (Array.isArray(value)) {
    // A list of numbers (the E_tot series) is written by the native serializer in one go.
    if (value.every((x) => typeof x === 'number')) return jsonNumbers(value, ',')
    return '[' + value.map(canonicalJson).join(',') + ']'
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}'
  }
  return jsonScalar(value)
}
