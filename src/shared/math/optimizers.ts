/**
 * Every optimizer and regularizer, defined once, as activations.ts defines the activations: its
 * name, defaults and state, its update (`step`, over Float64Arrays, no allocation: the trainer's
 * for every optimizer but momentum, see below), its formulas in words and in TeX (docs, the editor's
 * tooltips, the chain-rule view, the walk-through), and its spreadsheet formulas (the exported
 * workbook, which mirrors `step`'s arithmetic in the same order so a recomputed sheet agrees with
 * the engine to rounding).
 *
 * PyTorch's definitions: g is the batch's mean gradient (plus the regularization term, weights
 * only), t the step count from 1. Legacy (version-2) momentum, v ← μ·v − η·g; θ ← θ + v, gives the
 * same iterates as `momentum` here with v_legacy = −η·v (docs/optimizers.md); the trainer keeps
 * that legacy velocity, so version-2 files retrain bit for bit (engine/optimizer-step.ts).
 */
import type { Optimizer, OptimizerKind, Regularization, RegularizationKind } from '../engine/types'
import { cat, join, type Expr, type Token } from '../xlsx/expr'

/** The hyper-parameters beside η, by their field in `Optimizer`. */
export type Hyper = Exclude<keyof Optimizer, 'kind'>

/** Each hyper-parameter's symbol, TeX and spreadsheet name stem (`mu_1`, …); defaults: OPTIMIZER_DEFAULTS. */
export const HYPERS: Readonly<Record<Hyper, { symbol: string; tex: string; excelName: string }>> = {
  momentum: { symbol: 'μ', tex: '\\mu', excelName: 'mu' },
  rho: { symbol: 'ρ', tex: '\\rho', excelName: 'rho' },
  beta1: { symbol: 'β1', tex: '\\beta_1', excelName: 'beta1' },
  beta2: { symbol: 'β2', tex: '\\beta_2', excelName: 'beta2' },
  epsilon: { symbol: 'ε', tex: '\\varepsilon', excelName: 'eps' },
}

/** The cells a spreadsheet update refers to: the run's named hyper-parameter cells, λ, and t. */
export interface ExcelHypers extends Record<Hyper, Token> {
  eta: Token
  lambda: Token
  /** The step count of the update that produced the row (an expression). */
  t: Expr
}

export interface OptimizerDef {
  label: string
  /** The hyper-parameters the update uses, beside η. */
  hypers: readonly Hyper[]
  /** Its state per trained parameter, by the symbol in its formulas: the table's `v_w1`, `m_w1`, … */
  state: readonly string[]
  /**
   * The update in words for one parameter `p` with gradient `g` (an expression, parenthesised when a
   * sum) and state names `s` (`v_w1`, …): its next value, and each state's (the column tooltips';
   * optimizerText gives the general form, with θ, g and the symbols).
   */
  words(p: string, g: string, s: readonly string[]): { param: string; state: string[] }
  /** The update in TeX, one assignment a line (the state's, then the parameter's). */
  tex: readonly string[]
  /**
   * One update of params[0, n) from the gradients `grads` (mean over the batch, data loss only),
   * the state (one array per `state` name, updated in place), the step count t ≥ 1, η and the
   * regularization (NO_REGULARIZATION, from engine/types, for biases). Returns whether every new parameter is finite.
   */
  step(params: Float64Array, grads: Float64Array, state: readonly Float64Array[], t: number, eta: number, reg: Regularization, hyper: Optimizer): boolean
  /** The spreadsheet's new state `j` from its previous row's cell and the gradient G (regularized). */
  excelState(j: number, previous: Token, g: Expr, h: ExcelHypers): Expr
  /** The spreadsheet's new parameter from its previous row's cell, G and this row's (new) state cells. */
  excelParam(previous: Token, g: Expr, state: readonly Token[], h: ExcelHypers): Expr
}

/*
 * The regularized gradient of every `step`: g + λ2·w + λ1·sign(w), with λ1 = λ for L1 and λ2 = λ
 * for L2, else 0. Adding a zero leaves g as it is, so without regularization every update is
 * bit for bit the plain one; the term is written out in each loop so the loop stays one function.
 */
const l1Of = (reg: Regularization): number => (reg.kind === 'l1' ? reg.rate : 0)
const l2Of = (reg: Regularization): number => (reg.kind === 'l2' ? reg.rate : 0)

/** The step of momentum (θ ← θ − η·v) or Nesterov momentum (θ ← θ − η·(g + μ·v)); v ← μ·v + g for both. */
function momentumStep(nesterov: boolean): OptimizerDef['step'] {
  return (p, grads, state, _t, eta, reg, hyper) => {
    const v = state[0]
    const mu = hyper.momentum
    const l1 = l1Of(reg)
    const l2 = l2Of(reg)
    let check = 0
    for (let i = 0; i < p.length; i++) {
      const w = p[i]
      const g = grads[i] + l2 * w + l1 * Math.sign(w)
      const vi = (v[i] = mu * v[i] + g)
      const x = (p[i] = w - eta * (nesterov ? g + mu * vi : vi))
      check += x - x
    }
    return check === 0
  }
}

/** g² in words: a name squared, anything longer in parentheses. */
const squared = (g: string): string => (g.length === 1 || g.startsWith('(') ? `${g}²` : `(${g})²`)

const momentumState: OptimizerDef['excelState'] = (_j, prev, g, h) => cat(h.momentum, '*', prev, '+', g)

const DEFINITIONS = {
  sgd: {
    label: 'SGD',
    hypers: [],
    state: [],
    words: (p, g) => ({ param: `${p} − η · ${g}`, state: [] }),
    tex: ['\\theta \\leftarrow \\theta - \\eta\\, g'],
    step(p, grads, _state, _t, eta, reg) {
      const l1 = l1Of(reg)
      const l2 = l2Of(reg)
      let check = 0 // x − x is 0 for a finite x, NaN otherwise
      for (let i = 0; i < p.length; i++) {
        const w = p[i]
        const x = (p[i] = w - eta * (grads[i] + l2 * w + l1 * Math.sign(w)))
        check += x - x
      }
      return check === 0
    },
    excelState: () => {
      throw new Error('sgd has no state')
    },
    excelParam: (prev, g, _s, h) => cat(prev, '-', h.eta, '*', g),
  },
  momentum: {
    label: 'momentum',
    hypers: ['momentum'],
    state: ['v'],
    words: (p, g, [v]) => ({ param: `${p} − η · ${v}`, state: [`μ · ${v} + ${g}`] }),
    tex: ['v \\leftarrow \\mu\\, v + g', '\\theta \\leftarrow \\theta - \\eta\\, v'],
    step: momentumStep(false),
    excelState: momentumState,
    excelParam: (prev, _g, [v], h) => cat(prev, '-', h.eta, '*', v),
  },
  nesterov: {
    label: 'Nesterov momentum',
    hypers: ['momentum'],
    state: ['v'],
    words: (p, g, [v]) => ({ param: `${p} − η · (${g} + μ · ${v})`, state: [`μ · ${v} + ${g}`] }),
    tex: ['v \\leftarrow \\mu\\, v + g', '\\theta \\leftarrow \\theta - \\eta\\,(g + \\mu\\, v)'],
    step: momentumStep(true),
    excelState: momentumState,
    excelParam: (prev, g, [v], h) => cat(prev, '-', h.eta, '*(', g, '+', h.momentum, '*', v, ')'),
  },
  rmsprop: {
    label: 'RMSprop',
    hypers: ['rho', 'epsilon'],
    state: ['s'],
    words: (p, g, [s]) => ({ param: `${p} − η · ${g} / (√${s} + ε)`, state: [`ρ · ${s} + (1 − ρ) · ${squared(g)}`] }),
    tex: ['s \\leftarrow \\rho\\, s + (1 - \\rho)\\, g^2', '\\theta \\leftarrow \\theta - \\dfrac{\\eta\\, g}{\\sqrt{s} + \\varepsilon}'],
    step(p, grads, state, _t, eta, reg, { rho, epsilon }) {
      const s = state[0]
      const l1 = l1Of(reg)
      const l2 = l2Of(reg)
      let check = 0
      for (let i = 0; i < p.length; i++) {
        const w = p[i]
        const g = grads[i] + l2 * w + l1 * Math.sign(w)
        const si = (s[i] = rho * s[i] + (1 - rho) * g * g)
        const x = (p[i] = w - (eta * g) / (Math.sqrt(si) + epsilon))
        check += x - x
      }
      return check === 0
    },
    excelState: (_j, prev, g, h) => cat(h.rho, '*', prev, '+(1-', h.rho, ')*', g, '*', g),
    excelParam: (prev, g, [s], h) => cat(prev, '-', h.eta, '*', g, '/(SQRT(', s, ')+', h.epsilon, ')'),
  },
  adam: {
    label: 'Adam',
    hypers: ['beta1', 'beta2', 'epsilon'],
    state: ['m', 'v'],
    words: (p, g, [m, v]) => ({
      param: `${p} − η · m̂ / (√v̂ + ε), m̂ = ${m} / (1 − β1^t), v̂ = ${v} / (1 − β2^t)`,
      state: [`β1 · ${m} + (1 − β1) · ${g}`, `β2 · ${v} + (1 − β2) · ${squared(g)}`],
    }),
    tex: [
      'm \\leftarrow \\beta_1 m + (1 - \\beta_1)\\, g',
      'v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g^2',
      '\\theta \\leftarrow \\theta - \\dfrac{\\eta\\, \\hat m}{\\sqrt{\\hat v} + \\varepsilon}, \\quad \\hat m = \\dfrac{m}{1 - \\beta_1^{\\,t}}, \\quad \\hat v = \\dfrac{v}{1 - \\beta_2^{\\,t}}',
    ],
    step(p, grads, state, t, eta, reg, { beta1, beta2, epsilon }) {
      const m = state[0]
      const v = state[1]
      const l1 = l1Of(reg)
      const l2 = l2Of(reg)
      const c1 = 1 - beta1 ** t
      const c2 = 1 - beta2 ** t
      let check = 0
      for (let i = 0; i < p.length; i++) {
        const w = p[i]
        const g = grads[i] + l2 * w + l1 * Math.sign(w)
        const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g)
        const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g)
        const x = (p[i] = w - (eta * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon))
        check += x - x
      }
      return check === 0
    },
    excelState: (j, prev, g, h) =>
      j === 0 ? cat(h.beta1, '*', prev, '+(1-', h.beta1, ')*', g) : cat(h.beta2, '*', prev, '+(1-', h.beta2, ')*', g, '*', g),
    excelParam: (prev, _g, [m, v], h) =>
      cat(prev, '-', h.eta, '*(', m, '/(1-', h.beta1, '^', h.t, '))/(SQRT(', v, '/(1-', h.beta2, '^', h.t, '))+', h.epsilon, ')'),
  },
} satisfies Record<OptimizerKind, OptimizerDef>

export const OPTIMIZER_DEFS: Readonly<Record<OptimizerKind, OptimizerDef>> = DEFINITIONS

/** The update in words, one assignment a line: each state's, then θ's (docs, tooltips, the Formulas sheet). */
export function optimizerText(kind: OptimizerKind): string[] {
  const def = OPTIMIZER_DEFS[kind]
  const { param, state } = def.words('θ', 'g', def.state)
  return [...state.map((x, j) => `${def.state[j]} ← ${x}`), `θ ← ${param}`]
}

/** Fresh, zeroed optimizer state for n parameters: one array per state name. */
export function newState(kind: OptimizerKind, n: number): Float64Array[] {
  return OPTIMIZER_DEFS[kind].state.map(() => new Float64Array(n))
}

/**
 * The hyper-parameter tokens of a sheet: η and the given named cells; any other is NA(), so a
 * formula that used one by mistake shows #N/A instead of a wrong number.
 */
export function excelHypers(eta: Token, given: Partial<Omit<ExcelHypers, 'eta'>> = {}): ExcelHypers {
  return { eta, lambda: 'NA()', momentum: 'NA()', rho: 'NA()', beta1: 'NA()', beta2: 'NA()', epsilon: 'NA()', t: ['NA()'], ...given }
}

export interface RegularizationDef {
  label: string
  /** The term added to weight `w`'s gradient in words (`gradText('w5')`; the general form is gradText('w')), and in TeX; empty for none. */
  gradText(w: string): string
  gradTex: string
  /** The penalty shown beside E_tot (not added to it), in words and TeX; empty for none. */
  penaltyText: string
  penaltyTex: string
  /** The penalty of the weights w[0, n). */
  penalty(weights: ArrayLike<number>, rate: number): number
  /** The spreadsheet's gradient term (with its leading '+') of a weight cell; empty for none. */
  excelGrad(weight: Token, lambda: Token): Expr
  /** The spreadsheet's penalty over weight cells. */
  excelPenalty(weights: readonly Token[], lambda: Token): Expr
}

const REGULARIZATIONS = {
  none: {
    label: 'none',
    gradText: () => '',
    gradTex: '',
    penaltyText: '',
    penaltyTex: '',
    penalty: () => 0,
    excelGrad: () => [],
    excelPenalty: () => ['0'],
  },
  l1: {
    label: 'L1',
    gradText: (w) => `λ·sign(${w})`,
    gradTex: '\\lambda\\,\\operatorname{sign}(w)',
    penaltyText: 'λ·Σ|w|',
    penaltyTex: '\\lambda \\sum |w|',
    penalty(w, rate) {
      let sum = 0
      for (let i = 0; i < w.length; i++) sum += Math.abs(w[i])
      return rate * sum
    },
    excelGrad: (w, lambda) => cat('+', lambda, '*SIGN(', w, ')'),
    excelPenalty: (ws, lambda) => cat(lambda, '*(', join(ws.map((w) => cat('ABS(', w, ')')), '+'), ')'),
  },
  l2: {
    label: 'L2',
    gradText: (w) => `λ·${w}`,
    gradTex: '\\lambda\\, w',
    penaltyText: '(λ/2)·Σw²',
    penaltyTex: '\\tfrac{\\lambda}{2} \\sum w^2',
    penalty(w, rate) {
      let sum = 0
      for (let i = 0; i < w.length; i++) sum += w[i] * w[i]
      return (rate / 2) * sum
    },
    excelGrad: (w, lambda) => cat('+', lambda, '*', w),
    excelPenalty: (ws, lambda) => cat('(', lambda, '/2)*(', join(ws.map((w) => cat(w, '*', w)), '+'), ')'),
  },
} satisfies Record<RegularizationKind, RegularizationDef>

export const REGULARIZATION_DEFS: Readonly<Record<RegularizationKind, RegularizationDef>> = REGULARIZATIONS

/**
 * The spreadsheet's gradient G an update uses: the gradient cell, plus the regularization term of a
 * weight (`weight` null for a bias), in parentheses then, as `step` adds it before anything else.
 */
export function excelGradient(reg: RegularizationKind, grad: Token, weight: Token | null, lambda: Token): Expr {
  const term = weight === null ? [] : REGULARIZATION_DEFS[reg].excelGrad(weight, lambda)
  return term.length ? cat('(', grad, term, ')') : [grad]
}

/** The penalty of a regularization over the weights (0 for none). */
export const penalty = (reg: Regularization, weights: ArrayLike<number>): number => REGULARIZATION_DEFS[reg.kind].penalty(weights, reg.rate)
