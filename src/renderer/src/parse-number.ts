/**
 * A number as a person types it: surrounding spaces ignored, a leading typographic minus (−)
 * accepted. Empty text and anything `Number` does not read give NaN.
 */
export function parseNumberText(text: string): number {
  const s = text.trim().replace(/^−/, '-')
  return s === '' ? NaN : Number(s)
}
