import temml from 'temml'
import type { Formula } from '@shared/derivation'

/**
 * The chain-rule view's formulas as LaTeX, typeset to MathML by Temml (Chromium draws MathML
 * natively). Temml's inline output has no style attributes, so the page's strict CSP needs no
 * 'unsafe-inline' (display mode and colour commands would add some: neither is used).
 *
 * derivation.ts writes names and operators as plain text (δ_o1, out_h2_3, ∂E/∂w5, " · (1 − ");
 * this file is the one place that knows how those read as mathematics.
 */

/**
 * A neuron or parameter id: o1 → o_{1}, h2_3 → h_{2,3} (layer 2, neuron 3), o_k → o_{k}. Inside a
 * subscript (`nested`) the index stays on the line, o1 and h2,3, as the sheet writes them: a
 * subscript of a subscript would be drawn far below 11 px.
 */
function idTex(id: string, nested = false): string {
  const m = /^([a-zA-Z])(\d*)(?:_(\d+|k))?$/.exec(id)
  if (!m) return `\\mathrm{${escapeText(id)}}`
  const [, letter, n, sub] = m
  const index = [n, sub].filter(Boolean).join(',')
  if (!index) return letter
  return nested ? `${letter}${index.replace(',', '{,}')}` : `${letter}_{${index}}`
}

const escapeText = (s: string): string => s.replace(/[\\{}$&#^_%~]/g, (c) => `\\${c}`)

/** The walk-through's hyper-parameters, written as names in its update formulas. */
const GREEK: Record<string, string> = { η: '\\eta', μ: '\\mu' }

/**
 * A quantity's name as TeX: δ_o1, out_h1, ∂E/∂out_o1, ḡ, relu′(h1), t1, w5, E_tot, ∂E/∂w5, η, w5_prev,
 * each with its sample (_s2) as a superscript.
 */
export function nameTex(name: string): string {
  let sample = ''
  const base = name.replace(/_s(\d+)(\))?$/, (_, s: string, close?: string) => {
    sample = `^{(${s})}`
    return close ?? ''
  })
  let m: RegExpExecArray | null
  if (GREEK[base]) return GREEK[base]
  if (base === 'E_tot') return `{E_{\\mathrm{tot}}${sample}}`
  if ((m = /^(.+)_prev$/.exec(base))) return `{${nameTex(m[1])}^{\\mathrm{prev}}}`
  if ((m = /^∂E\/∂([wb]\d+)$/.exec(base))) return `{\\dfrac{\\partial E}{\\partial ${idTex(m[1])}}}`
  if ((m = /^δ_(.+)$/.exec(base))) return `{\\delta_{${idTex(m[1], true)}}${sample}}`
  if ((m = /^∂E\/∂out_(.+)$/.exec(base))) return `{\\dfrac{\\partial E}{\\partial\\,\\mathrm{out}_{${idTex(m[1], true)}}${sample}}}`
  if ((m = /^out_(.+)$/.exec(base))) return `{\\mathrm{out}_{${idTex(m[1], true)}}${sample}}`
  if (base === 'ḡ') return `{\\overline{g}${sample}}`
  if ((m = /^(l?relu)′\((.+)\)$/.exec(base))) return `{\\mathrm{${m[1]}}'(${idTex(m[2])}${sample})}`
  return `{${idTex(base)}${sample}}`
}

/** A number as the table shows it, in TeX: 1.5e-7 → 1.5 \times 10^{-7}; negatives are bracketed by the caller. */
export function numberTex(text: string): string {
  if (text === '∞' || text === '−∞') return text === '∞' ? '\\infty' : '-\\infty'
  if (text === '') return '\\mathrm{NaN}'
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text)
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : text
}

/** Function names between the terms, upright: ln and tanh as TeX writes them, the others (ReLU, leaky ReLU) as operators. */
const wordTex = (w: string): string => (w === 'ln' || w === 'tanh' ? `\\${w} ` : `\\operatorname{${w.replace(/ /g, '\\ ')}}`)

/** The operators, brackets and function names between the terms: · − ² ½ ← σ ln and the rest. */
function textTex(s: string): string {
  return s
    .replace(/[A-Za-z]{2,}( [A-Za-z]{2,})*/g, wordTex)
    .replace(/·/g, ' \\cdot ')
    .replace(/−/g, ' - ')
    .replace(/²/g, '^{2}')
    .replace(/½/g, '\\tfrac{1}{2}')
    .replace(/←/g, '\\leftarrow ')
    .replace(/σ/g, '\\sigma ')
    .replace(/\[/g, '\\lbrack ')
    .replace(/\]/g, '\\rbrack ')
}

/** The value on the right of a line, "= 0.1423", in the digits `format` gives. */
export const equalsTex = (x: number, format: (x: number) => string): string => `= ${x < 0 ? '-' : ''}${numberTex(format(Math.abs(x)))}`

/** A formula with its names (symbolic) or with its numbers (`format` gives the digits). */
export function formulaTex(formula: Formula, format?: (x: number) => string): string {
  return formula
    .map((t) => {
      if (typeof t === 'string') return textTex(t)
      if (!format) return nameTex(t.name)
      const n = numberTex(format(t.value))
      return t.value < 0 ? `{(${n})}` : `{${n}}`
    })
    .join('')
}

/** One factor of the chain text: ∂E/∂w5, ∂out_o1/∂o1, Σ_k ∂E/∂o_k, δ_o1. */
function factorTex(f: string): string {
  const sum = f.startsWith('Σ_k ') ? '\\sum_k ' : ''
  const rest = sum ? f.slice(4) : f
  const m = /^∂(.+)\/∂(.+)$/.exec(rest)
  // \dfrac: an inline \frac would draw both parts a script size smaller.
  return sum + (m ? `\\dfrac{\\partial ${nameTex(m[1])}}{\\partial ${nameTex(m[2])}}` : nameTex(rest))
}

/**
 * The chain rule in words of derivatives (derivation.ts's `chain`): "∂E/∂w5 = ∂E/∂out_o1 · … =
 * δ_o1 · ∂o1/∂w5", one piece per factor (with its operator), to wrap between factors only.
 */
export function chainTexPieces(chain: string): string[] {
  const pieces: string[] = []
  chain.split(' = ').forEach((side, s, sides) => {
    const factors = side.split(' · ')
    factors.forEach((f, i) => pieces.push(factorTex(f) + (i < factors.length - 1 ? ' \\cdot' : s < sides.length - 1 ? ' =' : '')))
  })
  return pieces
}

/**
 * MathML for a TeX expression (inline: display mode would bring a style attribute). A few accents
 * (\\hat, in Adam's m̂ and v̂) still carry one, `math-depth:0`: the CSP would refuse it (and say so
 * in the console), so it is dropped here; Chromium draws the accent the same without it.
 */
export function mathml(tex: string): string {
  return temml.renderToString(tex, { throwOnError: false }).replace(/ style=["]math-depth:0;["]/g, '') // a class, not a quote, after style=: the build test looks for style attributes in the bundle
}

/**
 * A formula cut after each top-level operator (· + −, outside any brackets), so a long line may
 * wrap between terms but never inside one: each piece becomes a <math> of its own.
 */
export function formulaPieces(formula: Formula): Formula[] {
  const pieces: Formula[] = [[]]
  let depth = 0
  for (const t of formula) {
    if (typeof t !== 'string') {
      pieces[pieces.length - 1].push(t)
      continue
    }
    let from = 0
    for (let i = 0; i < t.length; i++) {
      const ch = t[i]
      if (ch === '(' || ch === '[') depth++
      else if (ch === ')' || ch === ']') depth--
      else if (depth === 0 && (ch === '·' || ch === '+' || ch === '−') && t[i - 1] === ' ' && t[i + 1] === ' ') {
        pieces[pieces.length - 1].push(t.slice(from, i + 1))
        pieces.push([])
        from = i + 1
      }
    }
    if (from < t.length) pieces[pieces.length - 1].push(t.slice(from))
  }
  return pieces.filter((p) => p.length)
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹'
/**
 * The matrix view's formulas (src/shared/walkthrough/matrix.ts: z¹ = W¹·a⁰, δ¹ = (W²)ᵀ·δ² ⊙ f′(z¹),
 * ∂E/∂W² = δ²·(a¹)ᵀ, W¹ ← W¹ − η·∂E/∂W¹) as TeX: the layer stays a superscript, ∂E/∂W a fraction.
 */
export function matrixTex(text: string): string {
  const layer = (s: string): string => `^{${[...s].map((c) => SUPERSCRIPT.indexOf(c)).join('')}}`
  return text
    .replace(/∂E\/∂([A-Za-z])([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g, (_, x: string, l: string) => `\\dfrac{\\partial E}{\\partial ${x}${layer(l)}}`)
    // W¹′, the updated matrix: braces, or the prime would be a second superscript.
    .replace(/([A-Za-z])([⁰¹²³⁴⁵⁶⁷⁸⁹]+)′/g, (_, x: string, l: string) => `{${x}${layer(l)}}'`)
    .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, layer)
    .replace(/ᵀ/g, '^{\\top}')
    .replace(/′/g, "'")
    .replace(/δ/g, '\\delta ')
    .replace(/η/g, '\\eta ')
    .replace(/⊙/g, ' \\odot ')
    .replace(/←/g, ' \\leftarrow ')
    .replace(/·/g, ' \\cdot ')
    .replace(/−/g, ' - ')
    .replace(/×/g, ' \\times ')
}

