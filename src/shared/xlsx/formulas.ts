import type { ColumnLayout } from '../engine/columns'
import type { RunConfig } from '../engine/types'
import { elementwise, type Activation } from '../math/activations'
import { excelLogSumExp, LOSS_DEFS } from '../math/losses'
import { excelGradient, OPTIMIZER_DEFS, REGULARIZATION_DEFS, type ExcelHypers } from '../math/optimizers'
import { cat, cell, join, type Expr, type Operand, type Token } from './expr'

/**
 * The Excel formula of every column of the epoch table, generated for any network the engine
 * trains. Each formula mirrors the engine's arithmetic in the same order (src/shared/engine/network.ts),
 * so a recomputed sheet agrees with the engine to rounding:
 *   net   = Σ a·w (+ b)                         out = f(net)   (softmax over the layer)
 *   E_k   = the loss term of output k           E_tot = Σ E_k (mean over samples)
 *   δ_out = ∂E/∂net of an output, δ_hidden = (Σ w·δ_next)·f'(net)   — written out inline, as the sheet does
 *   ∂E/∂w = δ·a_prev (mean over samples)
 *   the optimizer's state (v_w1, m_w1, …) and the next parameters from the previous row's
 *   gradient G (plus the regularization term, weights only) — the optimizer's own spreadsheet
 *   formulas (src/shared/math/optimizers.ts); penalty = λ·Σ|w| or (λ/2)·Σw².
 */

/** The training samples, or the held-out ones. */
export type SampleSet = 'train' | 'test'

export interface FormulaRefs {
  /** η, λ, the optimizer's hyper-parameters (named cells) and the step count t. */
  hyper: ExcelHypers
  input(sample: number, i: number): Token
  target(sample: number, k: number): Token
  /** Input i or target k of every sample of a set, as one range (`$B$11:$B$210`). */
  samples(set: SampleSet, kind: 'input' | 'target', index: number): Token
}

/*
 * Samples without columns (the test set; training samples beyond the table's first) are summed with
 * SUMPRODUCT over an inline forward pass: their formulas must work sample by sample over a range —
 * each definition's array form (excelArray); softmax's and softmax-ce's layer-wide MAX has none.
 */

/** The sheet cannot be live (a column it needs is missing, or samples it cannot sum): why, as its Cells note says. */
export class NotLive extends Error {
  name = 'NotLive'
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
const derivative = (kind: Activation, net: Operand, out: Operand, array: boolean): Expr | null => {
  if (kind === 'softmax') return null
  const def = elementwise(kind)
  return array && def.excelArray ? def.excelArray.derivative(net, out) : def.excelDerivative(net, out)
}

/**
 * The formula of every column; null for a column a live sheet still holds as the engine's numbers:
 * acc_test, acc_train beyond the samples the table shows (a count of thresholded or argmax outputs),
 * E_test when its sum is not array-safe.
 */
export function columnFormulas(config: RunConfig, layout: ColumnLayout, refs: FormulaRefs): (ColumnFormula | null)[] {
  const { shape, at, sampleCount: S, columns } = layout
  const { layers, depth, weightOffset, neuronOffset } = shape
  const K = layers[depth]
  const acts = config.network.activations
  const outAct = acts[depth - 1]
  const arraySafe = !acts.includes('softmax') && LOSS_DEFS[config.loss].excelArray !== null
  /** The table has columns for the first training sample only: E_tot and the gradients sum over all inline. */
  const inlineTraining = config.samples.length !== S

  const wCol = (w: number, dr = 0): Token => {
    const l = layerOfWeight(w)
    return cell(at.weight[l] + w - weightOffset[l], dr)
  }
  const bCol = (b: number, dr = 0): Token => {
    const l = layerOfNeuron(b)
    return cell(at.bias[l] + b - neuronOffset[l], dr)
  }
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

  /*
   * Where a sample's values come from: its own columns (the table's samples), or, for a whole set of
   * samples the table has no columns for, ranges of the parameters block with the forward pass
   * written inline — an array expression, summed by SUMPRODUCT.
   */
  interface Source {
    key: string
    /** A range of samples (array forms), or one sample's columns. */
    array: boolean
    input(i: number): Operand
    target(k: number): Operand
    net(l: number, j: number): Operand
    out(l: number, j: number): Operand
  }
  const columnSource = (s: number): Source => ({
    key: `s${s}`,
    array: false,
    input: (i) => cell(at.input[s] + i),
    target: (k) => cell(at.target[s] + k),
    net: (l, j) => cell(at.neuron[l][s] + 2 * j),
    out: (l, j) => cell(at.neuron[l][s] + 2 * j + 1),
  })
  const inlineSource = (set: SampleSet): Source => {
    const memo = new Map<string, Expr>()
    const remember = (key: string, make: () => Expr): Expr => memo.get(key) ?? (memo.set(key, paren(make())), memo.get(key)!)
    const src: Source = {
      key: set,
      array: true,
      input: (i) => refs.samples(set, 'input', i),
      target: (k) => refs.samples(set, 'target', k),
      net: (l, j) => remember(`n${l},${j}`, () => net(l, j, src)),
      out: (l, j) => remember(`o${l},${j}`, () => out(l, j, src)),
    }
    return src
  }
  const sources: Record<SampleSet, Source> = { train: inlineSource('train'), test: inlineSource('test') }
  const actIn = (l: number, i: number, src: Source): Operand => (l === 0 ? src.input(i) : src.out(l, i))

  const net = (l: number, j: number, src: Source): Expr => {
    const fanIn = layers[l - 1]
    const terms: Expr[] = []
    for (let i = 0; i < fanIn; i++) terms.push(cat(actIn(l - 1, i, src), '*', wCol(weightOffset[l] + j * fanIn + i)))
    const sum = join(terms, '+')
    return config.network.bias === 'none' ? sum : cat(sum, '+', bCol(neuronOffset[l] + j))
  }

  const out = (l: number, j: number, src: Source): Expr => {
    if (acts[l - 1] !== 'softmax') {
      const def = elementwise(acts[l - 1])
      return src.array && def.excelArray ? def.excelArray.value(src.net(l, j)) : def.excel(src.net(l, j))
    }
    const zs = Array.from({ length: layers[l] }, (_, m) => src.net(l, m))
    const max = cat('MAX(', join(zs.map((z) => cat(z)), ','), ')')
    const e = (z: Operand): Expr => cat('EXP(', z, '-', max, ')')
    return cat(e(zs[j]), '/(', join(zs.map(e), '+'), ')')
  }

  // Σ_k t_k of a sample (softmax cross-entropy's δ is out·Σt − t).
  const targetSum = (src: Source): Expr => paren(join(Array.from({ length: K }, (_, k) => cat(src.target(k))), '+'))

  const lossDef = LOSS_DEFS[config.loss]
  const arrayTerm = lossDef.excelArray
  const error = (k: number, src: Source): Expr =>
    src.array && typeof arrayTerm === 'function'
      ? arrayTerm(src.target(k), src.out(depth, k), src.net(depth, k))
      : lossDef.excelTerm(src.target(k), src.out(depth, k), src.net(depth, k), { K, logSumExp: () => excelLogSumExp(Array.from({ length: K }, (_, m) => src.net(depth, m))) })

  // A set of samples the table has no columns for is summed inline: mean over its samples of f.
  const meanOf = (set: SampleSet, n: number, f: (src: Source) => Expr): Expr => {
    if (!arraySafe) throw new NotLive(`values only: summing samples without columns needs formulas that work sample by sample, which softmax and softmax-ce (a MAX over the layer) do not`)
    return cat('SUMPRODUCT(', f(sources[set]), `)/${n}`)
  }
  const allErrors = (src: Source): Expr => join(Array.from({ length: K }, (_, k) => error(k, src)), '+')

  const loss = (): Expr => {
    if (inlineTraining) return meanOf('train', config.samples.length, allErrors)
    const perSample = Array.from({ length: S }, (_, s) => join(Array.from({ length: K }, (_, k) => [eCol(k, s)]), '+'))
    if (S === 1) return perSample[0]
    return cat('(', join(perSample.map(paren), '+'), `)/${S}`)
  }

  // δ = ∂E/∂net, memoised per neuron and sample; inlined wherever a gradient needs it.
  const deltas = new Map<string, Expr>()
  const delta = (l: number, j: number, src: Source): Expr => {
    const key = `${l},${j},${src.key}`
    const known = deltas.get(key)
    if (known) return known
    let d: Expr
    if (l === depth) d = outputDelta(j, src)
    else {
      const terms: Expr[] = []
      const fanIn = layers[l]
      for (let m = 0; m < layers[l + 1]; m++) terms.push(cat(wCol(weightOffset[l + 1] + m * fanIn + j), '*', paren(delta(l + 1, m, src))))
      const f = derivative(acts[l - 1], src.net(l, j), src.out(l, j), src.array)
      d = f ? cat(paren(join(terms, '+')), '*', f) : paren(join(terms, '+'))
    }
    deltas.set(key, d)
    return d
  }

  function outputDelta(k: number, src: Source): Expr {
    const o = (m: number): Operand => src.out(depth, m)
    // ∂E/∂out of a 'chain' loss (then through the activation), or δ itself of a 'direct' one.
    const g = (m: number): Expr => lossDef.excelGrad(src.target(m), o(m), { K, targetSum: () => targetSum(src) })
    if (lossDef.gradient === 'direct') return g(k)
    if (outAct === 'softmax') {
      const dot = join(Array.from({ length: K }, (_, m) => cat(g(m), '*', o(m))), '+')
      return cat(o(k), '*(', g(k), '-(', dot, '))')
    }
    const f = derivative(outAct, src.net(depth, k), o(k), src.array)
    return f ? cat(g(k), '*', f) : g(k)
  }

  const meanOverSamples = (term: (src: Source) => Expr): Expr => {
    if (inlineTraining) return meanOf('train', config.samples.length, term)
    return S === 1 ? term(columnSource(0)) : cat('(', join(Array.from({ length: S }, (_, s) => term(columnSource(s))), '+'), `)/${S}`)
  }

  const gradW = (w: number): Expr => {
    const l = layerOfWeight(w)
    const fanIn = layers[l - 1]
    const j = Math.floor((w - weightOffset[l]) / fanIn)
    const i = (w - weightOffset[l]) % fanIn
    return meanOverSamples((src) => cat(delta(l, j, src), '*', actIn(l - 1, i, src)))
  }

  const gradB = (b: number): Expr => {
    const l = layerOfNeuron(b)
    return meanOverSamples((src) => paren(delta(l, b - neuronOffset[l], src)))
  }

  // The optimizer: its state columns (`v_w1`, …) and its step, from the previous row's gradient G.
  const optimizer = OPTIMIZER_DEFS[config.optimizer.kind]
  const reg = config.regularization.kind
  const h = refs.hyper
  const columnOf = new Map(layout.names.map((n, i) => [n, i]))
  const stateColumn = (name: string): number => {
    const col = columnOf.get(name)
    if (col === undefined) throw new NotLive(`values only: the table has no column ${name} for the ${config.optimizer.kind} optimizer`)
    return col
  }
  /** Per state column: which state, of which parameter (its name, its cell, its gradient cell, whether a weight). */
  const stateOf = new Map<number, { j: number; param: (dr: number) => Token; grad: Token; weight: boolean }>()
  const G = (p: { param: (dr: number) => Token; grad: Token; weight: boolean }): Expr => excelGradient(reg, p.grad, p.weight ? p.param(-1) : null, h.lambda)
  const step = (name: string, param: (dr: number) => Token, grad: Token, weight: boolean): { second: Expr; rest: Expr } => {
    const state = optimizer.state.map((s, j) => {
      const col = stateColumn(`${s}_${name}`)
      stateOf.set(col, { j, param, grad, weight })
      return cell(col)
    })
    const next = optimizer.excelParam(param(-1), G({ param, grad, weight }), state, h)
    return { second: next, rest: next }
  }

  // acc: per sample 1 when every output thresholded at 0.5 is its target (softmax: when the
  // target's output is the largest), then the mean over samples.
  const right = (s: number): Expr => {
    const src = columnSource(s)
    const outs = Array.from({ length: K }, (_, k) => src.out(depth, k))
    if (outAct === 'softmax') {
      const want = config.samples[s].targets.indexOf(Math.max(...config.samples[s].targets))
      return cat('IF(', outs[want], '>=MAX(', join(outs.map((o) => cat(o)), ','), '),1,0)')
    }
    return cat('IF(AND(', join(outs.map((o, k) => cat('IF(', o, '>=0.5,1,0)=', src.target(k))), ','), '),1,0)')
  }
  // Over samples without columns, thresholded outputs only: each comparison times 1 counts sample by
  // sample (softmax's argmax would need its layer-wide MAX); otherwise the engine's number.
  const inlineAccuracy = (set: SampleSet, n: number): ColumnFormula | null => {
    if (!arraySafe) return null
    const matches = (src: Source): Expr => join(Array.from({ length: K }, (_, k) => cat('((', src.out(depth, k), '>=0.5)*1=', src.target(k), ')')), '*')
    return same(meanOf(set, n, (src) => cat(matches(src), '*1')))
  }

  const gradWCol = (w: number): Token => cell(at.gradW + w, -1)
  const gradBCol = (b: number): Token => cell(at.gradB + b, -1)
  const same = (e: Expr): ColumnFormula => ({ first: e, second: e, rest: e })

  const formulas = columns.map((c): ColumnFormula | null => {
    switch (c.kind) {
      case 'target':
        return same([refs.target(c.sample, c.index)])
      case 'input':
        return same([refs.input(c.sample, c.index)])
      case 'weight':
        return { first: null, ...step(`w${c.index + 1}`, (dr) => wCol(c.index, dr), gradWCol(c.index), true) }
      case 'bias':
        if (config.network.bias === 'fixed') {
          const prev = cat(bCol(c.index, -1))
          return { first: null, second: prev, rest: prev }
        }
        return { first: null, ...step(`b${c.index + 1}`, (dr) => bCol(c.index, dr), gradBCol(c.index), false) }
      case 'net': {
        const l = c.layer
        return same(net(l, c.index - neuronOffset[l], columnSource(c.sample)))
      }
      case 'out': {
        const l = c.layer
        return same(out(l, c.index - neuronOffset[l], columnSource(c.sample)))
      }
      case 'error':
        return same(error(c.index, columnSource(c.sample)))
      case 'loss':
        return same(loss())
      case 'gradW':
        return same(gradW(c.index))
      case 'gradB':
        return same(gradB(c.index))
      case 'penalty':
        return same(REGULARIZATION_DEFS[reg].excelPenalty(Array.from({ length: shape.weightCount }, (_, w) => wCol(w)), h.lambda))
      case 'testLoss':
        return arraySafe ? same(meanOf('test', config.test.length, allErrors)) : null
      case 'accTrain':
        if (inlineTraining) return inlineAccuracy('train', config.samples.length)
        return same(cat(S === 1 ? right(0) : cat('(', join(Array.from({ length: S }, (_, s) => right(s)), '+'), `)/${S}`)))
      case 'accTest':
        return inlineAccuracy('test', config.test.length)
      case 'state':
        return null // filled in below, once the step of its parameter has said which state it is
    }
  })
  for (const [col, p] of stateOf) {
    const next = optimizer.excelState(p.j, cell(col, -1), G(p), h)
    formulas[col] = { first: null, second: next, rest: next }
  }
  return formulas
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
