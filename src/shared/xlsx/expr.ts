/**
 * A formula as a list of tokens, so one expression renders both as an Excel formula (`C14*E14`)
 * and in words (`i1*w1`). A cell token points at a table column and a row offset (0 = this row,
 * −1 = the previous row); a named token is a parameter cell (η, an input, a target).
 */
export type Token = string | { col: number; dr: number } | { excel: string; words: string }
export type Expr = Token[]

/** Spreadsheet column letters of a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = (n - 1 - r) / 26
  }
  return s
}

export const cell = (col: number, dr = 0): Token => ({ col, dr })

/** Concatenates tokens and expressions into one expression. */
export function cat(...parts: (Token | Expr)[]): Expr {
  const out: Expr = []
  for (const p of parts) {
    if (Array.isArray(p)) out.push(...p)
    else out.push(p)
  }
  return out
}

/** a₁ sep a₂ sep … */
export function join(items: Expr[], sep: string): Expr {
  const out: Expr = []
  items.forEach((e, i) => {
    if (i > 0) out.push(sep)
    out.push(...e)
  })
  return out
}

/**
 * An expression compiled for fast rendering at any row: formula = parts[0] + (row + offsets[0]) +
 * parts[1] + … ; columns are already turned into letters.
 */
export interface CompiledFormula {
  parts: string[]
  offsets: number[]
}

export function compile(expr: Expr): CompiledFormula {
  const parts = ['']
  const offsets: number[] = []
  for (const t of expr) {
    if (typeof t === 'string') parts[parts.length - 1] += t
    else if ('col' in t) {
      parts[parts.length - 1] += columnLetter(t.col)
      offsets.push(t.dr)
      parts.push('')
    } else parts[parts.length - 1] += t.excel
  }
  return { parts, offsets }
}

/** The Excel formula (without '=') of a compiled expression at a 1-based sheet row. */
export function renderAt(f: CompiledFormula, row: number): string {
  let s = f.parts[0]
  for (let i = 0; i < f.offsets.length; i++) s += row + f.offsets[i] + f.parts[i + 1]
  return s
}

/** The expression in words: columns by name, the previous row's value marked `(prev)`. */
export function renderWords(expr: Expr, names: readonly string[]): string {
  let s = ''
  for (const t of expr) {
    if (typeof t === 'string') s += t
    else if ('col' in t) s += names[t.col] + (t.dr === 0 ? '' : t.dr === -1 ? '(prev)' : `(prev ${-t.dr})`)
    else s += t.words
  }
  return s
}
