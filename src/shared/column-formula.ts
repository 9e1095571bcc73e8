import { gradientName, neuronName, type Column, type ColumnLayout } from './engine/columns'
import { biasOwner, weightEnds } from './engine/shape'
import { derive, renderSymbolic, type Model, type Param } from './derivation'
import { quantity as q, type Formula } from './formula-terms'

import { elementwise } from './math/activations'
import { LOSS_DEFS, type Loss } from './math/losses'
import { OPTIMIZER_DEFS, REGULARIZATION_DEFS } from './math/optimizers'

/**
 * Column formulas: one line per column of the epoch table — the one text of "the formula of a
 * column in words", shown in the table's header tooltips and on the exported workbook's Formulas
 * sheet. A gradient's line is the chain rule of derivation.ts written symbolically.
 */

/** Joins a long sum as `a + b + … + z` so a 16-wide layer still fits a tooltip. */
function sumText(parts: string[], max = 8): string {
  if (parts.length <= max) return parts.join(' + ')
  return [...parts.slice(0, max - 2), '…', parts[parts.length - 1]].join(' + ')
}

function lossText(loss: Loss | undefined, t: string, out: string, K: number): string {
  return loss ? LOSS_DEFS[loss].text(t, out, K) : `loss(${t}, ${out})`
}

/**
 * Symbolic formulas of gradients, per layout and model: a derivation costs a pass over the network
 * above the parameter, and every weight into a neuron shares that neuron's δ — only the source
 * factor differs — so one derivation per neuron serves all its weights (the Formulas sheet of a
 * wide network asks for thousands).
 */
const symbolicCache = new WeakMap<ColumnLayout, Map<string, Formula>>()

/** Symbolic gradient text of a gradient column: the seed's one-line form when short, else δ form. */
function gradientText(layout: ColumnLayout, model: Model, param: Param): string {
  const { shape, sampleCount: S } = layout
  const sfx = (s: number): string => (S > 1 ? `_s${s + 1}` : '')
  const ends = param.kind === 'w' ? weightEnds(shape, param.index) : null
  // The first weight into the same neuron (a bias stands for itself).
  const base: Param = ends ? { kind: 'w', index: param.index - (ends.from - 1) } : param
  let byParam = symbolicCache.get(layout)
  if (!byParam) symbolicCache.set(layout, (byParam = new Map()))
  const key = `${model.activations.join()}|${model.loss}|${base.kind}${base.index}`
  let formula = byParam.get(key)
  if (!formula) {
    // Derive on a zero row: only the names matter here.
    const d = derive(layout, model, new Float64Array(layout.names.length), base)
    formula = unwrap(d.expanded ?? d.final)
    byParam.set(key, formula)
  }
  if (ends && ends.from > 1) {
    // The source of weight `from` instead of the first source; δ never names the layer below its neuron.
    const source = (i: number): string => (ends.layer === 1 ? `i${i}` : `out_${neuronName(shape, ends.layer - 1, i - 1)}`)
    const rename = new Map(Array.from({ length: S }, (_, s) => [source(1) + sfx(s), source(ends.from) + sfx(s)]))
    formula = formula.map((t) => (typeof t !== 'string' && rename.has(t.name) ? q(rename.get(t.name)!, t.value) : t))
  }
  return `${gradientName(`${param.kind}${param.index + 1}`)} = ${renderSymbolic(formula)}`
}

/** Drops parentheses around the whole formula (a bias's gradient is its δ, grouped when expanded). */
function unwrap(f: Formula): Formula {
  if (f.length < 2 || f[0] !== '(' || f[f.length - 1] !== ')') return f
  let depth = 0
  for (let i = 0; i < f.length - 1; i++) {
    const t = f[i]
    if (typeof t !== 'string') continue
    for (const ch of t) {
      if (ch === '(') depth++
      else if (ch === ')') depth--
    }
    if (depth === 0) return f // the first parenthesis closes before the end
  }
  return f.slice(1, -1)
}

/**
 * How a trained parameter moves to the next epoch, as the engine steps it (PyTorch's definitions;
 * g is ∂E/∂p, plus λ·sign(p) or λ·p for a regularized weight; with mini-batches, one step per batch).
 */
export function stepText(p: string, model: Model | undefined, isWeight: boolean): string {
  const batches = model?.batches ? ` — once per mini-batch, g of the batch` : ''
  const { words, state } = OPTIMIZER_DEFS[model?.optimizer?.kind ?? 'sgd']
  const names = state.map((x) => `${x}_${p}`)
  const w = words(p, stepGradient(p, model, isWeight), names)
  return [w.param, ...w.state.map((x, j) => `${names[j]} ← ${x}`)].join(', ') + batches
}

/** ∂E/∂p, plus the regularization term of a weight (the registry's words). */
function stepGradient(p: string, model: Model | undefined, isWeight: boolean): string {
  const reg = isWeight ? model?.regularization : undefined
  const term = reg ? REGULARIZATION_DEFS[reg.kind].gradText(p) : ''
  return term ? `(∂E/∂${p} + ${term})` : `∂E/∂${p}`
}

/** What an optimizer-state column holds: its symbol's update, from the row before. */
function stateText(name: string, model: Model | undefined): string {
  const [symbol, p] = name.split('_')
  const { words, state } = OPTIMIZER_DEFS[model?.optimizer?.kind ?? 'sgd']
  const j = state.indexOf(symbol)
  const rule = j < 0 ? '…' : words(p, stepGradient(p, model, p.startsWith('w')), state.map((x) => `${x}_${p}`)).state[j]
  const batches = model?.batches ? ', applied batch by batch with each batch’s gradient' : ' of the epoch before'
  return `${name} = ${rule}${batches}; 0 in the first row`
}

/**
 * What a column of the epoch table holds, as a formula: `h1 = w1·i1 + w2·i2`, `out_h1 = 1/(1 + e^(−h1))`,
 * `E1 = ½(t1 − out_o1)²`, `∂E/∂w5 = (out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1`.
 * The layout knows no activations, loss or optimizer: pass `model` (modelOf(config)) for the exact
 * text; without it, activations read f(h1), losses loss(t, out) and gradients their δ form.
 */
export function columnFormula(layout: ColumnLayout, col: number | string, model?: Model): string {
  const c: Column | undefined = typeof col === 'number' ? layout.columns[col] : layout.columns[layout.names.indexOf(col)]
  if (!c) throw new Error(`no column ${String(col)}`)
  const { shape, sampleCount: S } = layout
  const sfx = (s: number): string => (S > 1 ? `_s${s + 1}` : '')
  const ofSample = S > 1 && c.sample >= 0 ? ` (sample ${c.sample + 1})` : ''
  const K = shape.layers[shape.depth]
  const trained = layout.at.gradB >= 0
  const N = layout.trainingSamples
  /** More training samples than the table shows (it shows the first). */
  const unshown = S < N
  switch (c.kind) {
    case 'target':
      return `${c.name}: target of output o${c.index + 1}${ofSample}`
    case 'input':
      return `${c.name}: input ${c.index + 1}${ofSample}`
    case 'weight': {
      const e = weightEnds(shape, c.index)
      const from = e.layer === 1 ? `i${e.from}` : neuronName(shape, e.layer - 1, e.from - 1)
      return `${c.name}: weight ${from} → ${neuronName(shape, e.layer, e.to - 1)}; next epoch ${stepText(c.name, model, true)}`
    }
    case 'bias': {
      const o = biasOwner(shape, c.index)
      const n = neuronName(shape, o.layer, o.neuron - 1)
      return trained ? `${c.name}: bias of ${n}; next epoch ${stepText(c.name, model, false)}` : `${c.name}: bias of ${n} (fixed)`
    }
    case 'net': {
      const l = c.layer
      const j = c.index - shape.neuronOffset[l]
      const parts: string[] = []
      for (let i = 0; i < shape.layers[l - 1]; i++) {
        const w = `w${shape.weightOffset[l] + j * shape.layers[l - 1] + i + 1}`
        const a = l === 1 ? `i${i + 1}` : `out_${neuronName(shape, l - 1, i)}`
        parts.push(`${w}·${a}${sfx(c.sample)}`)
      }
      if (layout.at.bias[l] >= 0) parts.push(`b${c.index + 1}`)
      return `${c.name} = ${sumText(parts)}`
    }
    case 'out': {
      const netName = c.name.slice(4)
      const act = model?.activations[c.layer - 1]
      if (act === 'softmax') {
        const outs = Array.from({ length: shape.layers[c.layer] }, (_, k) => `e^${neuronName(shape, c.layer, k)}${sfx(c.sample)}`)
        return `${c.name} = e^${netName} / (${sumText(outs)})`
      }
      return `${c.name} = ${act ? elementwise(act).text(netName) : `f(${netName})`}`
    }
    case 'error': {
      const t = `t${c.index + 1}${sfx(c.sample)}`
      const out = `out_o${c.index + 1}${sfx(c.sample)}`
      return `${c.name} = ${lossText(model?.loss, t, out, K)}`
    }
    case 'loss': {
      const errors = layout.columns.filter((x) => x.kind === 'error').map((x) => x.name)
      if (unshown) return `E_tot = mean over the ${N} training samples of their ΣE_k (the table shows sample 1: ${sumText(errors)})`
      return S > 1 ? `E_tot = (${sumText(errors)}) / ${S}` : `E_tot = ${sumText(errors)}`
    }
    case 'penalty': {
      const reg = model?.regularization
      const weights = `w1 … w${shape.weightCount}`
      if (reg?.kind === 'l1') return `penalty = λ · Σ|w| over ${weights} (λ = ${reg.rate}); not part of E_tot, its gradient joins the step`
      if (reg?.kind === 'l2') return `penalty = (λ/2) · Σw² over ${weights} (λ = ${reg.rate}); not part of E_tot, its gradient joins the step`
      return 'penalty = λ · Σ|w| (l1) or (λ/2) · Σw² (l2) over the weights; not part of E_tot'
    }
    case 'testLoss':
      return 'E_test = mean over the test samples of their ΣE_k, at this row’s parameters (never trained on)'
    case 'accTrain':
    case 'accTest': {
      const set = c.kind === 'accTrain' ? 'training' : 'test'
      const rule = model?.activations[model.activations.length - 1] === 'softmax' ? 'the largest output is the class' : 'an output counts as 1 from 0.5 up, 0 below'
      return `${c.name} = fraction of ${set} samples predicted right (${rule})`
    }
    case 'state':
      return stateText(c.name, model)
    case 'gradW':
    case 'gradB': {
      const param: Param = { kind: c.kind === 'gradW' ? 'w' : 'b', index: c.index }
      const whole = unshown ? `; this is sample 1’s term: the column is the mean over all ${N} training samples` : ''
      if (model) return gradientText(layout, model, param) + whole
      const mean = S > 1 ? ' (mean over samples)' : ''
      return (c.kind === 'gradW' ? `${c.name} = δ · out of the weight's source${mean}` : `${c.name} = δ of its neuron${mean}`) + whole
    }
  }
}
