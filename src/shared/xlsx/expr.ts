/**
 * A formula as a list of tokens, so one expression renders as an Excel formula at any row
 * (`C14*E14`). A cell token points at a table column and a row offset (0 = this row, −1 = the
 * previous row); text is copied as is (operators, functions, and the parameter cells: η's name
 * `eta_1`, an input's `$B$11`). A column's formula in words is columnFormula (src/shared/derivation.ts).
 */
export type Token = string | { col: number; dr: number }
export type Expr = Token[]
/** What a registry's spreadsheet formula takes as an argument: a cell or name, or an expression in parentheses. */
export type Operand = Token | Expr

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

/**
 * Most tokens an expression may have. Every token renders as at least one character (empty text is
 * dropped), so a longer expression is longer than the 8,192 characters Excel takes in a formula.
 * The inline backward pass grows geometrically with depth: building stops here instead of running
 * out of memory or stack.
 */
export const MAX_EXPR_TOKENS = 8192

/** Thrown by cat and join when an expression passes MAX_EXPR_TOKENS. */
export class FormulaTooLong extends Error {
  constructor() {
    super(`a formula would be longer than ${MAX_EXPR_TOKENS} characters`)
    this.name = 'FormulaTooLong'
  }
}

function append(out: Expr, e: Expr): void {
  if (out.length + e.length > MAX_EXPR_TOKENS) throw new FormulaTooLong()
  for (const t of e) if (t !== '') out.push(t)
}

/** Concatenates tokens and expressions into one expression. */
export function cat(...parts: (Token | Expr)[]): Expr {
  const out: Expr = []
  for (const p of parts) append(out, Array.isArray(p) ? p : [p])
  return out
}

/** a₁ sep a₂ sep … */
export function join(items: Expr[], sep: string): Expr {
  const out: Expr = []
  items.forEach((e, i) => {
    if (i > 0) append(out, [sep])
    append(out, e)
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
    else {
      parts[parts.length - 1] += columnLetter(t.col)
      offsets.push(t.dr)
      parts.push('')
    }
  }
  return { parts, offsets }
}

/** The Excel formula (without '=') of a compiled expression at a 1-based sheet row. */
export function renderAt(f: CompiledFormula, row: number): string {
  let s = f.parts[0]
  for (let i = 0; i < f.offsets.length; i++) s += row + f.offsets[i] + f.parts[i + 1]
  return s
}
