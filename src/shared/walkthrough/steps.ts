import { gradientName, neuronName, type ColumnLayout } from '../engine/columns'
import { shapeOf, weightEnds } from '../engine/shape'
import { deriveAll, fullPrecision, modelOf, place, renderNumeric, renderSymbolic, type Formula, type Param, type Quantity } from '../derivation'
import { quantity as q } from '../formula-terms'
import { sheetMomentum, type Activation, type RunConfig } from '../engine/types'
import { isMiniBatch } from '../engine/batches'
import { optimizerUpdate } from './optimizer-update'
import { ACTIVATION_DEFS } from '../math/activations'

/**
 * One epoch, computed step by step in the order a person computes it by hand (issue 17, part 1):
 * forward (each neuron's weighted sum, then its activation), the loss terms and E_tot, backward (each
 * δ, then each ∂E/∂w as δ times the activation it multiplies), and the update of every parameter.
 * Every number is the epoch table's own; the backward steps come from the chain-rule derivation
 * (src/shared/derivation.ts), so the walk-through and the chain-rule view cannot disagree.
 * Pure data: the window highlights `column`, `neurons` and `weights` of the current step.
 */
export type Phase = 'forward' | 'loss' | 'backward' | 'update'

export interface WalkStep {
  /** Unique within the epoch: `h1`, `out_h1`, `E1`, `E_tot`, `δ_o1`, `∂E/∂w5`, `w5′`. */
  id: string
  phase: Phase
  /** Layer the step belongs to (1 = first layer after the inputs; 0 for the loss). */
  layer: number
  /** What the step computes (`h1`, `∂E/∂w5`; an update's parameter, `w5`), and how: `=`, or `←` for an update. */
  target: string
  relation: '=' | '←'
  /**
   * The right-hand side as terms (src/shared/formula-terms.ts): read with names or with the epoch's
   * numbers, as text here or typeset by the window, so the numbers shown are the numbers used.
   */
  expr: Formula
  /** The formula with names: `h1 = w1·i1 + w2·i2`. */
  formula: string
  /** The same with the epoch's numbers and the result: `h1 = 0.15·0.05 + 0.2·0.1 = 0.0275`. */
  numbers: string
  value: number
  /** The epoch-table column this step produces (in the next row for an update); null for a δ. */
  column: string | null
  /** Neurons to highlight in the diagram (`i1`, `h1`, `o1`) and weights (0-based indexes). */
  neurons: string[]
  weights: number[]
  /** Ids of earlier steps whose values it uses. */
  uses: string[]
  /** The parameter a gradient or update step concerns (the window selects it). */
  param?: Param
}

export interface WalkInput {
  config: RunConfig
  layout: ColumnLayout
  /** The epoch's row (EpochTable.row), in the layout's column order. */
  row: ArrayLike<number>
  /** The row before (for momentum), or null for the first epoch. */
  previous?: ArrayLike<number> | null
  /** The row after, or null when not trained yet: with mini-batches, the update's result. */
  next?: ArrayLike<number> | null
  /** The row's epoch, 1-based: adam's t with full batch (default 1). */
  epoch?: number
}

/**
 * Most parameters a walk-through takes: each is a gradient step and an update step, and a network
 * past this is not read step by step (64-64-64-10, about 9,000, takes 0.7 s to lay out here).
 */
export const WALK_MAX_PARAMS = 10_000

/** Why this run cannot be walked through, or null. Counted before any step is built. */
export function walkProblem(config: RunConfig): string | null {
  const { weightCount, neuronCount } = shapeOf(config.network.layers)
  const params = weightCount + (config.network.bias === 'trained' ? neuronCount : 0)
  return params > WALK_MAX_PARAMS
    ? `This network trains ${params.toLocaleString('en-US')} parameters: too many to walk through one by one (at most ${WALK_MAX_PARAMS.toLocaleString('en-US')}). The chain-rule view shows any one gradient.`
    : null
}

/** f(net) as a person writes it: the activation's mark from the registry (σ(h1), tanh(h1)); linear is net itself. */
const activationExpr = (kind: Activation, net: Quantity): Formula => (kind === 'linear' ? [net] : [`${ACTIVATION_DEFS[kind].mark}(`, net, ')'])

export function walkSteps({ config, layout, row, previous = null, next: nextRow = null, epoch = 1 }: WalkInput): WalkStep[] {
  const { shape, sampleCount: S } = layout
  const { layers, depth, weightOffset, neuronOffset } = shape
  const index = new Map(layout.names.map((n, i) => [n, i]))
  const value = (name: string): number => row[index.get(name)!]
  /** A column of the row as a term of a formula. */
  const cell = (name: string): Quantity => q(name, value(name))
  const sfx = (s: number): string => (S > 1 ? `_s${s + 1}` : '')
  const steps: WalkStep[] = []
  type Draft = Omit<WalkStep, 'formula' | 'numbers' | 'relation'> & { relation?: WalkStep['relation'] }
  const add = ({ relation = '=', ...step }: Draft): void => {
    const lhs = `${step.target} ${relation} `
    steps.push({ ...step, relation, formula: lhs + renderSymbolic(step.expr), numbers: `${lhs}${renderNumeric(step.expr)} = ${fullPrecision(step.value)}` })
  }
  const inputName = (l: number, i: number, s: number): string => (l === 1 ? `i${i + 1}` : `out_${neuronName(shape, l - 1, i)}`) + sfx(s)
  const node = (l: number, j: number): string => (l === 0 ? `i${j + 1}` : neuronName(shape, l, j))
  /** Terms joined by an operator: a + b + c. */
  const joined = (parts: Formula[], op: string): Formula => parts.flatMap((p, i) => (i ? [op, ...p] : p))

  // Forward, layer by layer: weighted sum, then activation, neuron by neuron.
  for (let s = 0; s < S; s++)
    for (let l = 1; l <= depth; l++) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const net = neuronName(shape, l, j) + sfx(s)
        const ws = Array.from({ length: fanIn }, (_, i) => weightOffset[l] + j * fanIn + i)
        const inputs = ws.map((_, i) => inputName(l, i, s))
        const terms: Formula[] = ws.map((w, i) => [cell(`w${w + 1}`), '·', cell(inputs[i])])
        if (config.network.bias !== 'none') terms.push([cell(`b${neuronOffset[l] + j + 1}`)])
        add({
          id: net, phase: 'forward', layer: l, target: net, expr: joined(terms, ' + '), value: value(net),
          column: net, neurons: [...Array.from({ length: fanIn }, (_, i) => node(l - 1, i)), neuronName(shape, l, j)], weights: ws,
          uses: inputs.filter((a) => !a.startsWith('i')),
        })
        const out = `out_${net}`
        add({
          id: out, phase: 'forward', layer: l, target: out, expr: activationExpr(config.network.activations[l - 1], cell(net)),
          value: value(out), column: out, neurons: [neuronName(shape, l, j)], weights: [], uses: [net],
        })
      }
    }

  // The loss terms and E_tot.
  const K = layers[depth]
  const lossExpr = (t: Quantity, o: Quantity): Formula => {
    switch (config.loss) {
      case 'half-sse':
        return ['½·(', t, ' − ', o, ')²']
      case 'mse':
        return ['(', t, ' − ', o, `)²/${K}`]
      case 'bce':
        return ['−(', t, '·ln ', o, ' + (1 − ', t, ')·ln(1 − ', o, '))']
      case 'softmax-ce':
        return ['−', t, '·ln ', o]
    }
  }
  const errors: string[] = []
  for (let s = 0; s < S; s++)
    for (let k = 0; k < K; k++) {
      const e = `E${k + 1}${sfx(s)}`
      const out = `out_${neuronName(shape, depth, k)}${sfx(s)}`
      errors.push(e)
      add({ id: e, phase: 'loss', layer: 0, target: e, expr: lossExpr(cell(`t${k + 1}${sfx(s)}`), cell(out)), value: value(e), column: e,
        neurons: [neuronName(shape, depth, k)], weights: [], uses: [out] })
    }
  const sum = joined(errors.map((e) => [cell(e)]), ' + ')
  add({ id: 'E_tot', phase: 'loss', layer: 0, target: 'E_tot', expr: S > 1 ? ['(', ...sum, `) / ${S}`] : sum,
    value: value('E_tot'), column: 'E_tot', neurons: [], weights: [], uses: errors })

  // Backward, output layer first: each δ the first time a gradient needs it (after the δs it rests
  // on), then the gradient. All δs come from one pass (deriveAll), as the trainer computes them.
  const refs = (f: Formula): string[] => [...new Set(f.filter((t): t is Quantity => typeof t !== 'string').map((t) => t.name))]
  const params: (Param & { layer: number })[] = []
  for (let l = depth; l >= 1; l--) {
    for (let w = weightOffset[l]; w < weightOffset[l] + layers[l] * layers[l - 1]; w++) params.push({ kind: 'w', index: w, layer: l })
    if (config.network.bias === 'trained') for (let b = neuronOffset[l]; b < neuronOffset[l] + layers[l]; b++) params.push({ kind: 'b', index: b, layer: l })
  }
  const model = modelOf(config)
  const all = deriveAll(layout, model, row, params)
  const deltaSteps = new Map(all.steps.map((st) => [st.name, st]))
  const seen = new Set<string>()
  const emit = (name: string, layer: number): void => {
    const st = deltaSteps.get(name)
    if (!st || seen.has(name)) return
    seen.add(name)
    for (const r of refs(st.formula)) emit(r, layer)
    const neuron = st.name.replace(/^δ_/, '').replace(/_s\d+$/, '')
    add({ id: st.name, phase: 'backward', layer, target: st.name, expr: st.formula, value: st.value, column: null,
      neurons: /^[ho][\d_]+$/.test(neuron) ? [neuron] : [], weights: [], uses: refs(st.formula) })
  }
  params.forEach((p, i) => {
    const g = all.gradients[i]
    for (const r of refs(g.final)) emit(r, p.layer)
    const ends = p.kind === 'w' ? weightEnds(shape, p.index) : null
    const owner = place(shape, p)
    add({ id: g.target, phase: 'backward', layer: p.layer, target: g.target, expr: g.final, value: g.value, column: g.target,
      neurons: [...(ends ? [node(ends.layer - 1, ends.from - 1)] : []), neuronName(shape, owner.layer, owner.to)],
      weights: ends ? [p.index] : [], uses: refs(g.final), param: { kind: p.kind, index: p.index } })
  })

  // The update: every trained parameter at once, from this epoch's gradients. The sheet's own
  // steps (gradient descent, momentum) as the sheet spells them; any other optimizer, regularization
  // or mini-batches as one step of the engine's optimizer (optimizer-update.ts).
  const eta = q('η', config.learningRate)
  const mu = sheetMomentum(config.optimizer)
  const sheetStep = (config.optimizer.kind === 'sgd' || config.optimizer.kind === 'momentum') && config.regularization.kind === 'none' && !isMiniBatch(config)
  for (const p of [...params].sort((a, b) => a.layer - b.layer || (a.kind === b.kind ? a.index - b.index : a.kind === 'w' ? -1 : 1))) {
    const name = `${p.kind}${p.index + 1}`
    if (!sheetStep) {
      steps.push(optimizerUpdate({ config, model, layout, index, row, nextRow, epoch, param: { kind: p.kind, index: p.index }, layer: p.layer }))
      continue
    }
    const g = gradientName(name)
    const [w, gv] = [value(name), value(g)]
    const prev = mu && previous ? previous[index.get(name)!] : null
    const momentum: Formula = prev === null ? [] : [' + ', q('μ', mu), '·(', cell(name), ' − ', q(`${name}_prev`, prev), ')']
    add({ id: `${name}′`, phase: 'update', layer: p.layer, target: name, relation: '←', expr: [cell(name), ...momentum, ' − ', eta, '·', cell(g)],
      value: w + (prev === null ? 0 : mu * (w - prev)) - eta.value * gv, column: name,
      neurons: p.kind === 'b' ? [neuronName(shape, p.layer, p.index - neuronOffset[p.layer])] : [], weights: p.kind === 'w' ? [p.index] : [], uses: [g], param: { kind: p.kind, index: p.index } })
  }
  return steps
}

/** The step that answers "how is ∂E/∂w5 computed?" (or any other column), and the steps it rests on. */
export function stepsBehind(steps: readonly WalkStep[], id: string): number[] {
  const byId = new Map(steps.map((s, i) => [s.id, i]))
  const out = new Set<number>()
  const visit = (key: string): void => {
    const i = byId.get(key)
    if (i === undefined || out.has(i)) return
    out.add(i)
    for (const u of steps[i].uses) visit(u)
  }
  visit(id)
  return [...out].sort((a, b) => a - b)
}

export interface StepGroup {
  title: string
  /** Indexes into the steps. */
  steps: number[]
}

/** Above `limit` steps, a layer of a phase is one step that can be expanded; below, every step stands alone. */
export function groupSteps(steps: readonly WalkStep[], limit = 40): StepGroup[] {
  if (steps.length <= limit) return steps.map((s, i) => ({ title: s.id, steps: [i] }))
  const groups: StepGroup[] = []
  steps.forEach((s, i) => {
    const title = s.phase === 'loss' ? 'Loss' : `${s.phase[0].toUpperCase()}${s.phase.slice(1)}, layer ${s.layer}`
    const last = groups[groups.length - 1]
    if (last?.title === title) last.steps.push(i)
    else groups.push({ title, steps: [i] })
  })
  return groups
}
