/**
 * A formula as a list of terms: plain text, or a named quantity with its value. The same list reads
 * symbolically (names) or numerically (values): see derivation.ts.
 */
export interface Quantity {
  name: string
  value: number
}
export type Term = string | Quantity
export type Formula = Term[]

export const quantity = (name: string, value: number): Quantity => ({ name, value })
