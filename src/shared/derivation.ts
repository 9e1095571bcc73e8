import { gradientName, neuronName, type ColumnLayout } from './engine/columns'
import { biasOwner, weightEnds } from './engine/shape'
import { quantity as q, type Formula, type Quantity } from './formula-terms'
import { isMiniBatch } from './engine/batches'
import type { Optimizer, Regularization, RunConfig } from './engine/types'
import { derivative, elementwise, type Activation } from './math/activations'
import { LOSS_DEFS, type LayerSums, type Loss } from './math/losses'

/**
 * The chain rule behind one gradient column, written out the way the seed's derivation writes it,
 * generalised to any depth through δ terms (δ_x = ∂E/∂x, the error signal at net input x):
 *
 *   ∂E/∂w = δ_to · out_from          δ_out = ∂E/∂out · f'(net)          δ_h = (Σ_k δ_k · w_hk) · f'(h)
 *
 * A formula is a list of terms: plain text, or a named quantity with its value. The same list reads
 * symbolically (names) or numerically (values), so the numbers shown are exactly the numbers used.
 * Every value is computed from one epoch row of the table in the engine's own order of operations,
 * so the result equals the table's ∂E/∂w cell.
 */

export type { Formula, Quantity, Term } from './formula-terms'

export interface Step {
  /** δ_o1, δ_h2_3, ∂E/∂out_o1, ḡ (with `_s2` per sample when there are several samples). */
  name: string
  formula: Formula
  value: number
}

export interface Param {
  kind: 'w' | 'b'
  /** 0-based: w1 is { kind: 'w', index: 0 }. */
  index: number
}

export interface Derivation {
  /** w5, b3 */
  param: string
  /** ∂E/∂w5 */
  target: string
  /** The chain rule in words of derivatives: ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂o1 · ∂o1/∂w5. */
  chain: string
  /** δ terms needed, from the output layer back to the parameter's neuron, sample by sample. */
  steps: Step[]
  /** ∂E/∂w in δ terms: δ_o1 · out_h1 (a mean over samples when there are several). */
  final: Formula
  /** The whole thing substituted into one formula, as in the seed; null when too long to read. */
  expanded: Formula | null
  /** Computed from the row's numbers. */
  value: number
  /** The table's own cell, or null when the parameter has no gradient column (fixed biases). */
  tableValue: number | null
  /**
   * Training samples the table's gradient is a mean over when the table shows only the first one's
   * columns (more than LIMITS.tableSamples): `value` is then sample 1's term, not the table's mean.
   * 0 when the derivation covers every sample.
   */
  unshownSamples: number
}

export interface Model {
  /** One per non-input layer. */
  activations: readonly Activation[]
  loss: Loss
  /** How parameters step; only the column formulas of parameters, state and penalty read these (plain full-batch sgd when absent). */
  optimizer?: Optimizer
  regularization?: Regularization
  /** Whether the step is taken per mini-batch. */
  batches?: boolean
}

/** The model of a run, as the column formulas and the chain-rule view need it. */
export function modelOf(config: Pick<RunConfig, 'network' | 'loss' | 'optimizer' | 'regularization' | 'batchSize' | 'samples'>): Model {
  const { network, loss, optimizer, regularization } = config
  return { activations: network.activations, loss, optimizer, regularization, batches: isMiniBatch(config) }
}

/** Longest expanded formula (in terms) still shown; past it the δ steps are the readable form. */
export const EXPANDED_LIMIT = 120


export function renderSymbolic(formula: Formula): string {
  return formula.map((t) => (typeof t === 'string' ? t : t.name)).join('')
}

/** Shortest text that reads back as the same double: the numbers are the table's, not rounded ones. */
export const fullPrecision = (x: number): string => String(x)

export function renderNumeric(formula: Formula, format: (x: number) => string = fullPrecision): string {
  return formula.map((t) => (typeof t === 'string' ? t : t.value < 0 ? `(${format(t.value)})` : format(t.value))).join('')
}

/** f'(net) as terms (from the activation's definition); empty for the identity (a factor of 1 only adds noise). */
function derivativeTerms(act: Activation, net: Quantity, out: Quantity): Formula {
  return act === 'softmax' ? [] : elementwise(act).chainFactor(net, out, derivative(act, net.value, out.value))
}

/** True when the formula has a sum, difference or quotient outside any parentheses. */
function hasTopLevelOperator(f: Formula): boolean {
  let depth = 0
  for (const t of f) {
    if (typeof t !== 'string') continue
    for (let i = 0; i < t.length; i++) {
      const ch = t[i]
      if (ch === '(' || ch === '[') depth++
      else if (ch === ')' || ch === ']') depth--
      else if (depth === 0 && (ch === '+' || ch === '−' || ch === '/') && t[i - 1] === ' ') return true
    }
  }
  return false
}

/** Parentheses only where a product needs them: a product of factors reads as the seed writes it. */
const group = (f: Formula): Formula => (hasTopLevelOperator(f) ? ['(', ...f, ')'] : f)

interface Ctx {
  layout: ColumnLayout
  model: Model
  row: ArrayLike<number>
  index: Map<string, number>
  sfx: (s: number) => string
}

function cell(ctx: Ctx, name: string): Quantity {
  const col = ctx.index.get(name)
  if (col === undefined) throw new Error(`no column ${name}`)
  return q(name, ctx.row[col])
}

/** Neuron n (0-based within layer l) for sample s: its net and out terms. */
function neuron(ctx: Ctx, l: number, j: number, s: number): { net: Quantity; out: Quantity; base: string } {
  const base = neuronName(ctx.layout.shape, l, j)
  return { net: cell(ctx, base + ctx.sfx(s)), out: cell(ctx, `out_${base}${ctx.sfx(s)}`), base }
}

/** The output layer's δ for sample s, mirroring Network.lossAndOutputDelta. */
function outputDeltas(ctx: Ctx, s: number, steps: Step[]): Quantity[] {
  const { shape } = ctx.layout
  const L = shape.depth
  const K = shape.layers[L]
  const act = ctx.model.activations[L - 1]
  const loss = ctx.model.loss
  const outs = Array.from({ length: K }, (_, k) => neuron(ctx, L, k, s))
  const targets = Array.from({ length: K }, (_, k) => cell(ctx, `t${k + 1}${ctx.sfx(s)}`))
  const deltas: Quantity[] = []
  const push = (k: number, formula: Formula, value: number): void => {
    const name = `δ_${outs[k].base}${ctx.sfx(s)}`
    steps.push({ name, formula, value })
    deltas.push(q(name, value))
  }
  const def = LOSS_DEFS[loss]
  let tSum = 0
  for (const t of targets) tSum += t.value
  const sums: LayerSums = { K, logSumExp: NaN, targetSum: tSum }
  // The loss's gradient: δ itself for a 'direct' loss, else ∂E/∂out, then through the activation.
  const g: Formula[] = []
  const gValue: number[] = []
  for (let k = 0; k < K; k++) {
    g.push(def.chainGrad(targets[k], outs[k].out, K, targets))
    gValue.push(def.grad(targets[k].value, outs[k].out.value, sums))
  }
  if (def.gradient === 'direct') {
    for (let k = 0; k < K; k++) push(k, g[k], gValue[k])
    return deltas
  }
  if (act === 'softmax') {
    // Softmax couples the outputs: δ_j = out_j · (∂E/∂out_j − Σ_k ∂E/∂out_k · out_k).
    const gTerms: Quantity[] = []
    for (let k = 0; k < K; k++) {
      const name = `∂E/∂out_${outs[k].base}${ctx.sfx(s)}`
      steps.push({ name, formula: g[k], value: gValue[k] })
      gTerms.push(q(name, gValue[k]))
    }
    let dot = 0
    const dotTerms: Formula = []
    for (let k = 0; k < K; k++) {
      dot += gValue[k] * outs[k].out.value
      dotTerms.push(...(k ? [' + '] : []), gTerms[k], ' · ', outs[k].out)
    }
    const dotName = `ḡ${ctx.sfx(s)}`
    steps.push({ name: dotName, formula: dotTerms, value: dot })
    for (let k = 0; k < K; k++)
      push(k, [outs[k].out, ' · (', gTerms[k], ' − ', q(dotName, dot), ')'], outs[k].out.value * (gValue[k] - dot))
    return deltas
  }
  for (let k = 0; k < K; k++) {
    const d = derivativeTerms(act, outs[k].net, outs[k].out)
    const value = gValue[k] * derivative(act, outs[k].net.value, outs[k].out.value)
    push(k, d.length ? [...group(g[k]), ...d] : g[k], value)
  }
  return deltas
}

/** δ of every neuron of layer l (< depth) for sample s from the layer above, as Network.run does. */
function hiddenDeltas(ctx: Ctx, l: number, s: number, above: Quantity[], steps: Step[], only?: number): Quantity[] {
  const { shape } = ctx.layout
  const fanIn = shape.layers[l]
  const act = ctx.model.activations[l - 1]
  const deltas: Quantity[] = []
  for (let i = 0; i < fanIn; i++) {
    const n = neuron(ctx, l, i, s)
    let sum = 0
    const terms: Formula = []
    for (let j = 0; j < shape.layers[l + 1]; j++) {
      const wName = `w${shape.weightOffset[l + 1] + j * fanIn + i + 1}`
      const w = cell(ctx, wName)
      sum += w.value * above[j].value
      terms.push(...(j ? [' + '] : []), above[j], ' · ', w)
    }
    const d = derivativeTerms(act, n.net, n.out)
    const value = sum * derivative(act, n.net.value, n.out.value)
    const name = `δ_${n.base}${ctx.sfx(s)}`
    if (only === undefined || only === i) steps.push({ name, formula: d.length ? [...group(terms), ...d] : terms, value })
    deltas.push(q(name, value))
  }
  return deltas
}

/**
 * Replaces every δ and helper reference by its own formula, recursively: the seed's one-line form.
 * Its length grows exponentially with depth, so it gives up (null) past `limit` terms.
 */
function expand(formula: Formula, steps: Map<string, Step>, limit: number): Formula | null {
  const out: Formula = []
  for (const t of formula) {
    const step = typeof t === 'string' ? undefined : steps.get(t.name)
    if (!step) out.push(t)
    else {
      const inner = expand(step.formula, steps, limit - out.length)
      if (!inner) return null
      out.push(...group(inner))
    }
    if (out.length > limit) return null
  }
  return out
}

function chainText(layout: ColumnLayout, param: Param, target: string): string {
  const { shape } = layout
  const { layer: l, to: j } = place(shape, param)
  const n = neuronName(shape, l, j)
  const p = `${param.kind}${param.index + 1}`
  const tail = `∂out_${n}/∂${n} · ∂${n}/∂${p}`
  if (l === shape.depth) return `${target} = ∂E/∂out_${n} · ${tail} = δ_${n} · ∂${n}/∂${p}`
  // A generic neuron k of the next layer: o_k, or h3_k in a deeper net.
  const k = l + 1 === shape.depth ? 'o_k' : shape.depth === 2 ? 'h_k' : `h${l + 1}_k`
  return `${target} = Σ_k ∂E/∂${k} · ∂${k}/∂out_${n} · ${tail} = δ_${n} · ∂${n}/∂${p}`
}

/** What every derivation at one epoch row looks up: the row, its column index, the sample suffix. */
function context(layout: ColumnLayout, model: Model, row: ArrayLike<number>): Ctx {
  const S = layout.sampleCount
  return { layout, model, row, index: new Map(layout.names.map((n, i) => [n, i])), sfx: (s) => (S > 1 ? `_s${s + 1}` : '') }
}

/** Where a parameter sits: its layer and the neuron (0-based) whose δ its gradient takes. */
export function place(shape: ColumnLayout['shape'], param: Param): { layer: number; to: number } {
  if (param.kind === 'w') {
    const e = weightEnds(shape, param.index)
    return { layer: e.layer, to: e.to - 1 }
  }
  const b = biasOwner(shape, param.index)
  return { layer: b.layer, to: b.neuron - 1 }
}

/** ∂E/∂param from its neuron's δ in each sample (`delta[s]`): δ · the input it multiplies, averaged over the samples. */
function gradient(ctx: Ctx, param: Param, delta: Quantity[]): { final: Formula; value: number } {
  const S = delta.length
  const ends = param.kind === 'w' ? weightEnds(ctx.layout.shape, param.index) : null
  let sum = 0
  const final: Formula = []
  for (let s = 0; s < S; s++) {
    const d = delta[s]
    if (s) final.push(' + ')
    if (ends) {
      const from = ends.layer === 1 ? cell(ctx, `i${ends.from}${ctx.sfx(s)}`) : neuron(ctx, ends.layer - 1, ends.from - 1, s).out
      sum += d.value * from.value
      final.push(d, ' · ', from)
    } else {
      sum += d.value
      final.push(d)
    }
  }
  return { final: S > 1 ? ['(', ...final, `) / ${S}`] : final, value: S > 1 ? sum / S : sum }
}

/**
 * The derivation of ∂E/∂(param) at one epoch row.
 * `row` is the epoch's full row (EpochTable.row(r)), in the layout's column order.
 */
export function derive(layout: ColumnLayout, model: Model, row: ArrayLike<number>, param: Param): Derivation {
  const { shape, sampleCount: S } = layout
  const ctx = context(layout, model, row)
  const isW = param.kind === 'w'
  const count = isW ? shape.weightCount : shape.neuronCount
  if (!Number.isInteger(param.index) || param.index < 0 || param.index >= count)
    throw new Error(`no parameter ${param.kind}${param.index + 1}`)
  if (!isW && layout.at.bias[1] < 0) throw new Error('this network has no biases')
  const { layer, to } = place(shape, param)
  const name = `${param.kind}${param.index + 1}`
  const target = gradientName(name)

  const steps: Step[] = []
  const delta: Quantity[] = []
  for (let s = 0; s < S; s++) {
    let deltas = outputDeltas(ctx, s, steps)
    for (let l = shape.depth - 1; l >= layer; l--) deltas = hiddenDeltas(ctx, l, s, deltas, steps, l === layer ? to : undefined)
    delta.push(deltas[to])
  }
  const { final: finalFormula, value } = gradient(ctx, param, delta)

  // Drop output δ steps that the selected parameter does not reach (only when it sits in the output layer).
  const used = layer === shape.depth ? usedSteps(finalFormula, steps) : steps
  const byName = new Map(used.map((st) => [st.name, st]))
  const expanded = expand(finalFormula, byName, EXPANDED_LIMIT)
  const gradCol = ctx.index.get(target)
  return {
    param: name,
    target,
    chain: chainText(layout, param, target),
    steps: used,
    final: finalFormula,
    expanded,
    value,
    tableValue: gradCol === undefined ? null : row[gradCol],
    unshownSamples: S < layout.trainingSamples ? layout.trainingSamples : 0,
  }
}

/**
 * Every δ of one epoch row (sample by sample, output layer first, as derive() computes them) and
 * the gradient of each of `params`, the same formulas and values derive() gives one at a time.
 * The walk-through needs them all: derive() per parameter would build the δs again for each, which
 * is quadratic in the network's size (75 s for a 64-64-64-10 net, measured).
 */
export function deriveAll(
  layout: ColumnLayout,
  model: Model,
  row: ArrayLike<number>,
  params: readonly Param[]
): { steps: Step[]; gradients: { target: string; final: Formula; value: number }[] } {
  const { shape, sampleCount: S } = layout
  const ctx = context(layout, model, row)
  const steps: Step[] = []
  /** deltas[s][l][j]: δ of neuron j of layer l in sample s. */
  const deltas: Quantity[][][] = []
  for (let s = 0; s < S; s++) {
    const bySample: Quantity[][] = []
    bySample[shape.depth] = outputDeltas(ctx, s, steps)
    for (let l = shape.depth - 1; l >= 1; l--) bySample[l] = hiddenDeltas(ctx, l, s, bySample[l + 1], steps)
    deltas.push(bySample)
  }
  const gradients = params.map((p) => {
    const { layer, to } = place(shape, p)
    return { target: gradientName(`${p.kind}${p.index + 1}`), ...gradient(ctx, p, deltas.map((d) => d[layer][to])) }
  })
  return { steps, gradients }
}

/** The steps a formula refers to, directly or through other steps, in their original order. */
function usedSteps(formula: Formula, steps: Step[]): Step[] {
  const byName = new Map(steps.map((s) => [s.name, s]))
  const need = new Set<string>()
  const visit = (f: Formula): void => {
    for (const t of f) {
      if (typeof t === 'string' || need.has(t.name) || !byName.has(t.name)) continue
      need.add(t.name)
      visit(byName.get(t.name)!.formula)
    }
  }
  visit(formula)
  return steps.filter((s) => need.has(s.name))
}
