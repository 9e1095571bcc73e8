import type { ColumnLayout } from '../engine/columns'
import type { RunConfig } from '../engine/types'
import { elementwise, type Activation } from '../math/activations'
import { excelLogSumExp, LOSS_DEFS } from '../math/losses'
import { cat, cell, join, type Expr, type Token } from './expr'

/**
 * The Excel formula of every column of the epoch table, generated for any network the engine
 * trains. Each formula mirrors the engine's arithmetic in the same order (src/shared/engine/network.ts),
 * so a recomputed sheet agrees with the engine to rounding:
 *   net   = Σ a·w (+ b)                         out = f(net)   (softmax over the layer)
 *   E_k   = the loss term of output k           E_tot = Σ E_k (mean over samples)
 *   δ_out = ∂E/∂net of an output, δ_hidden = (Σ w·δ_next)·f'(net)   — written out inline, as the sheet does
 *   ∂E/∂w = δ·a_prev (mean over samples)        next w = w − η·∂E/∂w  (with momentum μ:
 *   w + (μ·(w − w_prev) − η·∂E/∂w), since the velocity is the last step w − w_prev).
 */

export interface FormulaRefs {
  eta: Token
  mu: Token
  input(sample: number, i: number): Token
  target(sample: number, k: number): Token
}

export interface ColumnFormula {
  /** Formula of the first epoch row; null: the cell holds the initial value itself. */
  first: Expr | null
  /** Formula of the second epoch row. */
  second: Expr
  /** Formula of the third and every later epoch row. (What the column is: columnMeanings; in words: columnFormula in src/shared/derivation.ts.) */
  rest: Expr
}

const paren = (e: Expr): Expr => cat('(', e, ')')

/** f'(net) from the activation's definition; null when it is 1 (and for softmax, whose rule is layer-wide). */
const derivative = (kind: Activation, net: Token, out: Token): Expr | null => (kind === 'softmax' ? null : elementwise(kind).excelDerivative(net, out))

export function columnFormulas(config: RunConfig, layout: ColumnLayout, refs: FormulaRefs): ColumnFormula[] {
  const { shape, at, sampleCount: S, columns } = layout
  const { layers, depth, weightOffset, neuronOffset } = shape
  const K = layers[depth]
  const acts = config.network.activations
  const outAct = acts[depth - 1]

  const netCol = (l: number, j: number, s: number): Token => cell(at.neuron[l][s] + 2 * j)
  const outCol = (l: number, j: number, s: number): Token => cell(at.neuron[l][s] + 2 * j + 1)
  const actIn = (l: number, i: number, s: number): Token => (l === 0 ? cell(at.input[s] + i) : outCol(l, i, s))
  const wCol = (w: number, dr = 0): Token => {
    const l = layerOfWeight(w)
    return cell(at.weight[l] + w - weightOffset[l], dr)
  }
  const bCol = (b: number, dr = 0): Token => {
    const l = layerOfNeuron(b)
    return cell(at.bias[l] + b - neuronOffset[l], dr)
  }
  const tCol = (k: number, s: number): Token => cell(at.target[s] + k)
  const eCol = (k: number, s: number): Token => cell(at.error + s * K + k)
  function layerOfWeight(w: number): number {
    let l = depth
    while (weightOffset[l] > w) l--
    return l
  }
  function layerOfNeuron(b: number): number {
    let l = depth
    while (neuronOffset[l] > b) l--
    return l
  }

  const net = (l: number, j: number, s: number): Expr => {
    const fanIn = layers[l - 1]
    const terms: Expr[] = []
    for (let i = 0; i < fanIn; i++) terms.push(cat(actIn(l - 1, i, s), '*', wCol(weightOffset[l] + j * fanIn + i)))
    const sum = join(terms, '+')
    return config.network.bias === 'none' ? sum : cat(sum, '+', bCol(neuronOffset[l] + j))
  }

  const out = (l: number, j: number, s: number): Expr => {
    if (acts[l - 1] !== 'softmax') return elementwise(acts[l - 1]).excel(netCol(l, j, s))
    const zs = Array.from({ length: layers[l] }, (_, m) => netCol(l, m, s))
    const max = cat('MAX(', join(zs.map((z) => [z]), ','), ')')
    const e = (z: Token): Expr => cat('EXP(', z, '-', max, ')')
    return cat(e(zs[j]), '/(', join(zs.map(e), '+'), ')')
  }

  // Σ_k t_k of sample s (softmax cross-entropy's δ is out·Σt − t).
  const targetSum = (s: number): Expr => paren(join(Array.from({ length: K }, (_, k) => [tCol(k, s)]), '+'))

  const lossDef = LOSS_DEFS[config.loss]
  const outputNets = (s: number): Token[] => Array.from({ length: K }, (_, m) => netCol(depth, m, s))
  const error = (k: number, s: number): Expr =>
    lossDef.excelTerm(tCol(k, s), outCol(depth, k, s), netCol(depth, k, s), { K, logSumExp: () => excelLogSumExp(outputNets(s)) })

  const loss = (): Expr => {
    const perSample = Array.from({ length: S }, (_, s) => join(Array.from({ length: K }, (_, k) => [eCol(k, s)]), '+'))
    if (S === 1) return perSample[0]
    return cat('(', join(perSample.map(paren), '+'), `)/${S}`)
  }

  // δ = ∂E/∂net, memoised per neuron and sample; inlined wherever a gradient needs it.
  const deltas = new Map<string, Expr>()
  const delta = (l: number, j: number, s: number): Expr => {
    const key = `${l},${j},${s}`
    const known = deltas.get(key)
    if (known) return known
    let d: Expr
    if (l === depth) d = outputDelta(j, s)
    else {
      const terms: Expr[] = []
      const fanIn = layers[l]
      for (let m = 0; m < layers[l + 1]; m++) terms.push(cat(wCol(weightOffset[l + 1] + m * fanIn + j), '*', paren(delta(l + 1, m, s))))
      const f = derivative(acts[l - 1], netCol(l, j, s), outCol(l, j, s))
      d = f ? cat(paren(join(terms, '+')), '*', f) : paren(join(terms, '+'))
    }
    deltas.set(key, d)
    return d
  }

  function outputDelta(k: number, s: number): Expr {
    const o = (m: number): Token => outCol(depth, m, s)
    // ∂E/∂out of a 'chain' loss (then through the activation), or δ itself of a 'direct' one.
    const g = (m: number): Expr => lossDef.excelGrad(tCol(m, s), o(m), { K, targetSum: () => targetSum(s) })
    if (lossDef.gradient === 'direct') return g(k)
    if (outAct === 'softmax') {
      const dot = join(Array.from({ length: K }, (_, m) => cat(g(m), '*', o(m))), '+')
      return cat(o(k), '*(', g(k), '-(', dot, '))')
    }
    const f = derivative(outAct, netCol(depth, k, s), o(k))
    return f ? cat(g(k), '*', f) : g(k)
  }

  const meanOverSamples = (terms: Expr[]): Expr => (S === 1 ? terms[0] : cat('(', join(terms, '+'), `)/${S}`))

  const gradW = (w: number): Expr => {
    const l = layerOfWeight(w)
    const fanIn = layers[l - 1]
    const j = Math.floor((w - weightOffset[l]) / fanIn)
    const i = (w - weightOffset[l]) % fanIn
    return meanOverSamples(Array.from({ length: S }, (_, s) => cat(delta(l, j, s), '*', actIn(l - 1, i, s))))
  }

  const gradB = (b: number): Expr => {
    const l = layerOfNeuron(b)
    return meanOverSamples(Array.from({ length: S }, (_, s) => paren(delta(l, b - neuronOffset[l], s))))
  }

  // Next value of a trained parameter from the previous row: the plain step, or with momentum
  // (PyTorch's form) the step along this row's buffer v, itself μ·v + ∂E/∂p of the row before.
  const { kind } = config.optimizer
  if (kind !== 'sgd' && kind !== 'momentum') throw new NoLiveFormula(`the ${kind} optimizer`)
  const P = shape.weightCount + (config.network.bias === 'trained' ? shape.neuronCount : 0)
  const step = (param: (dr: number) => Token, grad: Token, p: number): { second: Expr; rest: Expr } => {
    const next = at.state >= 0 ? cat(param(-1), '-', refs.eta, '*', cell(at.state + p)) : cat(param(-1), '-', refs.eta, '*', grad)
    return { second: next, rest: next }
  }
  const velocity = (p: number): ColumnFormula => {
    const v = cat(refs.mu, '*', cell(at.state + p, -1), '+', p < shape.weightCount ? gradWCol(p) : gradBCol(p - shape.weightCount))
    return { first: null, second: v, rest: v }
  }

  // acc: per sample 1 when every output thresholded at 0.5 is its target (softmax: when the
  // target's output is the largest), then the mean over samples.
  const right = (s: number): Expr => {
    const outs = Array.from({ length: K }, (_, k) => outCol(depth, k, s))
    if (outAct === 'softmax') {
      const want = config.samples[s].targets.indexOf(Math.max(...config.samples[s].targets))
      return cat('IF(', outs[want], '>=MAX(', join(outs.map((o) => [o]), ','), '),1,0)')
    }
    return cat('IF(AND(', join(outs.map((o, k) => cat('IF(', o, '>=0.5,1,0)=', tCol(k, s))), ','), '),1,0)')
  }

  const gradWCol = (w: number): Token => cell(at.gradW + w, -1)
  const gradBCol = (b: number): Token => cell(at.gradB + b, -1)
  const same = (e: Expr): ColumnFormula => ({ first: e, second: e, rest: e })

  return columns.map((c): ColumnFormula => {
    switch (c.kind) {
      case 'target':
        return same([refs.target(c.sample, c.index)])
      case 'input':
        return same([refs.input(c.sample, c.index)])
      case 'weight':
        return { first: null, ...step((dr) => wCol(c.index, dr), gradWCol(c.index), c.index) }
      case 'bias':
        if (config.network.bias === 'fixed') {
          const prev = cat(bCol(c.index, -1))
          return { first: null, second: prev, rest: prev }
        }
        return { first: null, ...step((dr) => bCol(c.index, dr), gradBCol(c.index), shape.weightCount + c.index) }
      case 'net': {
        const l = c.layer
        return same(net(l, c.index - neuronOffset[l], c.sample))
      }
      case 'out': {
        const l = c.layer
        return same(out(l, c.index - neuronOffset[l], c.sample))
      }
      case 'error':
        return same(error(c.index, c.sample))
      case 'loss':
        return same(loss())
      case 'gradW':
        return same(gradW(c.index))
      case 'gradB':
        return same(gradB(c.index))
      case 'accTrain':
        if (S < layout.trainingSamples) throw new NoLiveFormula('accuracy over samples the table does not show')
        return same(meanOverSamples(Array.from({ length: S }, (_, s) => right(s))))
      case 'state':
        if (c.index >= P) throw new NoLiveFormula('this optimizer state')
        return velocity(c.index)
      case 'penalty':
      case 'testLoss':
      case 'accTest':
        throw new NoLiveFormula(`the ${c.name} column`)
    }
  })
}

/** A column the workbook cannot yet write as a live formula: the workbook then holds values (see formulasOf). */
export class NoLiveFormula extends Error {
  constructor(what: string) {
    super(`no live formula for ${what}`)
    this.name = 'NoLiveFormula'
  }
}

/** What each column is, in a few words (the Formulas sheet's "What it is"); needs no formula. */
export function columnMeanings(config: RunConfig, layout: ColumnLayout): string[] {
  const S = layout.sampleCount
  const acts = config.network.activations
  return layout.columns.map((c): string => {
    const sampleNote = S > 1 ? ` (sample ${c.sample + 1})` : ''
    switch (c.kind) {
      case 'target':
        return `target ${c.index + 1}${sampleNote}, from the parameters block`
      case 'input':
        return `input ${c.index + 1}${sampleNote}, from the parameters block`
      case 'weight':
        return 'weight at the start of the epoch; the first row holds the initial value'
      case 'bias':
        return config.network.bias === 'fixed'
          ? 'fixed bias: the initial value, carried down'
          : 'bias at the start of the epoch; the first row holds the initial value'
      case 'net':
        return `net input${sampleNote}`
      case 'out':
        return `activation (${acts[c.layer - 1]})${sampleNote}`
      case 'error':
        return `loss term of output ${c.index + 1} (${config.loss})${sampleNote}`
      case 'loss':
        return S > 1 ? 'total loss: mean over samples of Σ E_k' : 'total loss: Σ E_k'
      case 'gradW':
      case 'gradB':
        return S > 1 ? 'gradient, mean over samples' : 'gradient (chain rule)'
      case 'penalty':
        return `regularization penalty (${config.regularization.kind}, λ = ${config.regularization.rate}); not part of E_tot`
      case 'testLoss':
        return 'test loss: mean over the test set of Σ E_k'
      case 'accTrain':
        return 'accuracy on the training set: fraction of samples predicted right'
      case 'accTest':
        return 'accuracy on the test set: fraction of samples predicted right'
      case 'state':
        return `optimizer state (${config.optimizer.kind}) at the start of the epoch; 0 in the first row`
    }
  })
}
