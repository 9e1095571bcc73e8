/**
 * Every loss, defined once, as activations.ts defines the activations: its name, the loss term E_k
 * of one output and its gradient as the engine computes them, the same as kernel snippets, as text
 * for the chain rule and a column's formula, and as spreadsheet formulas.
 *
 * A loss's gradient is either ∂E/∂out_k, which then goes through the output activation ('chain':
 * the squared errors), or δ_k = ∂E/∂net_k itself ('direct': the cross-entropies, whose output
 * activation validation fixes — sigmoid for bce, softmax for softmax-ce — and whose δ is simple).
 */
import type { Quantity, Term } from '../formula-terms'
import { cat, join, type Expr, type Operand } from '../xlsx/expr'
import type { Activation } from './activations'

/** What a term may need of its whole output layer, for one sample. */
export interface LayerSums {
  /** Number of outputs. */
  K: number
  /** log Σ_k exp(z_k) over the output layer's net inputs (computed only when `needs.logSumExp`). */
  logSumExp: number
  /** Σ_k t_k (computed only when `needs.targetSum`). */
  targetSum: number
}

export interface LossDef {
  label: string
  gradient: 'chain' | 'direct'
  /** The output activation this loss requires, if any. */
  output: Activation | null
  needs: { logSumExp: boolean; targetSum: boolean }
  /** E_k from target t, output out and net input z. */
  term(t: number, out: number, z: number, sums: LayerSums): number
  /** ∂E/∂out_k ('chain') or δ_k ('direct'). */
  grad(t: number, out: number, sums: LayerSums): number
  /** term() and grad() as kernel expressions (of expressions t, y, z; may assign the scratch `diff`), or null: not compiled. */
  kernel: { term(t: string, y: string, z: string, K: number): string; grad(t: string, y: string, K: number): string } | null
  /** E_k in words: `½(t1 − out_o1)²`. */
  text(t: string, out: string, K: number): string
  /** grad() as chain-rule terms; `targets` are the sample's targets (softmax-ce's δ needs their sum). */
  chainGrad(t: Quantity, out: Quantity, K: number, targets: readonly Quantity[]): Term[]
  /** term() and grad() as spreadsheet formulas; the layer's sums as expressions when needed. */
  excelTerm(t: Operand, out: Operand, z: Operand, sums: { K: number; logSumExp: () => Expr }): Expr
  excelGrad(t: Operand, out: Operand, sums: { K: number; targetSum: () => Expr }): Expr
  /**
   * Whether excelTerm and excelGrad work for a range of samples inside SUMPRODUCT ('same'), with
   * this term instead (MAX does not act sample by sample; a comparison times a value does), or not at all.
   */
  excelArray: 'same' | ((t: Operand, out: Operand, z: Operand) => Expr) | null
}

const sumTerms = (qs: readonly Quantity[]): Term[] => qs.flatMap((x, k) => (k ? [' + ', x] : [x]))
const grouped = (terms: Term[]): Term[] => (terms.length > 1 ? ['(', ...terms, ')'] : terms)

const DEFINITIONS = {
  'half-sse': {
    label: '½ Σ (t − out)²',
    gradient: 'chain',
    output: null,
    needs: { logSumExp: false, targetSum: false },
    term: (t, out) => {
      const diff = t - out
      return 0.5 * diff * diff
    },
    grad: (t, out) => out - t,
    kernel: { term: (t, y) => `(diff = ${t} - ${y}, 0.5 * diff * diff)`, grad: (t, y) => `${y} - ${t}` },
    text: (t, out) => `½(${t} − ${out})²`,
    chainGrad: (t, out) => ['(', out, ' − ', t, ')'],
    excelTerm: (t, out) => cat('1/2*(', t, '-', out, ')^2'),
    excelGrad: (t, out) => cat('(', out, '-', t, ')'),
    excelArray: 'same',
  },
  mse: {
    label: 'mean squared error',
    gradient: 'chain',
    output: null,
    needs: { logSumExp: false, targetSum: false },
    term: (t, out, _z, { K }) => {
      const diff = t - out
      return (1 / K) * diff * diff
    },
    grad: (t, out, { K }) => (2 * (out - t)) / K,
    // (1 / K) folds to the same double as the engine's 1 / K.
    kernel: { term: (t, y, _z, K) => `(diff = ${t} - ${y}, (1 / ${K}) * diff * diff)`, grad: (t, y, K) => `(2 * (${y} - ${t})) / ${K}` },
    text: (t, out, K) => `(${t} − ${out})² / ${K}`,
    chainGrad: (t, out, K) => ['2 · (', out, ' − ', t, `) / ${K}`],
    excelTerm: (t, out, _z, { K }) => cat(`1/${K}*(`, t, '-', out, ')*(', t, '-', out, ')'),
    excelGrad: (t, out, { K }) => cat('2*(', out, '-', t, `)/${K}`),
    excelArray: 'same',
  },
  bce: {
    label: 'binary cross-entropy',
    gradient: 'direct',
    output: 'sigmoid',
    needs: { logSumExp: false, targetSum: false },
    // Written from the net input so it stays finite: with a sigmoid output, −[t·ln(out) + (1 − t)·ln(1 − out)].
    term: (t, _out, z) => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))),
    grad: (t, out) => out - t,
    kernel: { term: (t, _y, z) => `Math.max(${z}, 0) - ${z} * ${t} + Math.log1p(Math.exp(-Math.abs(${z})))`, grad: (t, y) => `${y} - ${t}` },
    text: (t, out) => `−[${t}·ln(${out}) + (1 − ${t})·ln(1 − ${out})]`,
    chainGrad: (t, out) => [out, ' − ', t],
    excelTerm: (t, _out, z) => cat('MAX(', z, ',0)-', z, '*', t, '+LN(1+EXP(-ABS(', z, ')))'),
    excelGrad: (t, out) => cat('(', out, '-', t, ')'),
    excelArray: (t, _out, z) => cat('(', z, '>0)*', z, '-', z, '*', t, '+LN(1+EXP(-ABS(', z, ')))'),
  },
  'softmax-ce': {
    label: 'softmax cross-entropy',
    gradient: 'direct',
    output: 'softmax',
    needs: { logSumExp: true, targetSum: true },
    // log out_k = z_k − log Σ exp(z): no log(0).
    term: (t, _out, z, { logSumExp }) => (t === 0 ? 0 : -t * (z - logSumExp)),
    grad: (t, out, { targetSum }) => out * targetSum - t,
    kernel: null,
    text: (t, out) => `−${t}·ln(${out})`,
    chainGrad: (t, out, _K, targets) => [out, ' · ', ...grouped(sumTerms(targets)), ' − ', t],
    excelTerm: (t, _out, z, { logSumExp }) => cat('IF(', t, '=0,0,-', t, '*(', z, '-(', logSumExp(), ')))'),
    excelGrad: (t, out, { targetSum }) => cat('(', out, '*', targetSum(), '-', t, ')'),
    excelArray: null,
  },
} satisfies Record<string, LossDef>

export type Loss = keyof typeof DEFINITIONS
export const LOSSES = Object.keys(DEFINITIONS) as Loss[]
export const LOSS_DEFS: Readonly<Record<Loss, LossDef>> = DEFINITIONS

/** log Σ exp(z) of z[from, from + n), shifted by the maximum so exp() cannot overflow. */
export function logSumExp(z: ArrayLike<number>, from: number, n: number): number {
  let max = -Infinity
  for (let k = 0; k < n; k++) max = Math.max(max, z[from + k])
  let se = 0
  for (let k = 0; k < n; k++) se += Math.exp(z[from + k] - max)
  return max + Math.log(se)
}

/** The spreadsheet's log Σ exp over net-input cells, as logSumExp computes it. */
export function excelLogSumExp(zs: readonly Operand[]): Expr {
  const max = cat('MAX(', join(zs.map((x) => cat(x)), ','), ')')
  return cat(max, '+LN(', join(zs.map((x) => cat('EXP(', x, '-', max, ')')), '+'), ')')
}
