import { gradientName, neuronName, type ColumnLayout } from '../engine/columns'
import { biasOwner, weightEnds } from '../engine/shape'
import { derive, fullPrecision, modelOf, renderNumeric, renderSymbolic, type Formula, type Quantity } from '../derivation'
import { sheetMomentum, type Activation, type RunConfig } from '../engine/types'
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
}

export interface WalkInput {
  config: RunConfig
  layout: ColumnLayout
  /** The epoch's row (EpochTable.row), in the layout's column order. */
  row: ArrayLike<number>
  /** The row before (for momentum), or null for the first epoch. */
  previous?: ArrayLike<number> | null
}

/** f(net) as a person writes it: the activation's mark from the registry (σ(h1), tanh(h1)); linear is net itself. */
const activationText = (kind: Activation, net: string): string => (kind === 'linear' ? net : `${ACTIVATION_DEFS[kind].mark}(${net})`)

export function walkSteps({ config, layout, row, previous = null }: WalkInput): WalkStep[] {
  const { shape, sampleCount: S } = layout
  const { layers, depth, weightOffset, neuronOffset } = shape
  const index = new Map(layout.names.map((n, i) => [n, i]))
  const value = (name: string): number => row[index.get(name)!]
  const sfx = (s: number): string => (S > 1 ? `_s${s + 1}` : '')
  const num = (x: number): string => (x < 0 ? `(${fullPrecision(x)})` : fullPrecision(x))
  const steps: WalkStep[] = []
  const add = (step: Omit<WalkStep, 'numbers'> & { numbers?: string }): void => {
    steps.push({ ...step, numbers: step.numbers ?? `${step.formula.split(' = ')[0]} = ${fullPrecision(step.value)}` })
  }
  const inputName = (l: number, i: number, s: number): string => (l === 1 ? `i${i + 1}` : `out_${neuronName(shape, l - 1, i)}`) + sfx(s)
  const node = (l: number, j: number): string => (l === 0 ? `i${j + 1}` : neuronName(shape, l, j))

  // Forward, layer by layer: weighted sum, then activation, neuron by neuron.
  for (let s = 0; s < S; s++)
    for (let l = 1; l <= depth; l++) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const net = neuronName(shape, l, j) + sfx(s)
        const ws = Array.from({ length: fanIn }, (_, i) => weightOffset[l] + j * fanIn + i)
        const terms = ws.map((w, i) => [`w${w + 1}`, inputName(l, i, s)] as const)
        const bias = config.network.bias === 'none' ? null : `b${neuronOffset[l] + j + 1}`
        const sym = terms.map(([w, a]) => `${w}·${a}`).join(' + ') + (bias ? ` + ${bias}` : '')
        const nums = terms.map(([w, a]) => `${num(value(w))}·${num(value(a))}`).join(' + ') + (bias ? ` + ${num(value(bias))}` : '')
        add({
          id: net, phase: 'forward', layer: l, formula: `${net} = ${sym}`, numbers: `${net} = ${nums} = ${fullPrecision(value(net))}`, value: value(net),
          column: net, neurons: [...Array.from({ length: fanIn }, (_, i) => node(l - 1, i)), neuronName(shape, l, j)], weights: ws,
          uses: terms.map(([, a]) => a).filter((a) => !a.startsWith('i')),
        })
        const out = `out_${net}`
        const f = (n: string): string => activationText(config.network.activations[l - 1], n)
        add({
          id: out, phase: 'forward', layer: l, formula: `${out} = ${f(net)}`, numbers: `${out} = ${f(fullPrecision(value(net)))} = ${fullPrecision(value(out))}`,
          value: value(out), column: out, neurons: [neuronName(shape, l, j)], weights: [], uses: [net],
        })
      }
    }

  // The loss terms and E_tot.
  const K = layers[depth]
  const lossText = (k: number, s: number): [string, string] => {
    const t = `t${k + 1}${sfx(s)}`
    const o = `out_${neuronName(shape, depth, k)}${sfx(s)}`
    const [tv, ov] = [num(value(t)), num(value(o))]
    switch (config.loss) {
      case 'half-sse':
        return [`½·(${t} − ${o})²`, `½·(${tv} − ${ov})²`]
      case 'mse':
        return [`(${t} − ${o})²/${K}`, `(${tv} − ${ov})²/${K}`]
      case 'bce':
        return [`−(${t}·ln ${o} + (1 − ${t})·ln(1 − ${o}))`, `−(${tv}·ln ${ov} + (1 − ${tv})·ln(1 − ${ov}))`]
      case 'softmax-ce':
        return [`−${t}·ln ${o}`, `−${tv}·ln ${ov}`]
    }
  }
  const errors: string[] = []
  for (let s = 0; s < S; s++)
    for (let k = 0; k < K; k++) {
      const e = `E${k + 1}${sfx(s)}`
      const [sym, nums] = lossText(k, s)
      errors.push(e)
      add({ id: e, phase: 'loss', layer: 0, formula: `${e} = ${sym}`, numbers: `${e} = ${nums} = ${fullPrecision(value(e))}`, value: value(e), column: e,
        neurons: [neuronName(shape, depth, k)], weights: [], uses: [`out_${neuronName(shape, depth, k)}${sfx(s)}`] })
    }
  const sum = errors.join(' + ')
  add({ id: 'E_tot', phase: 'loss', layer: 0, formula: `E_tot = ${S > 1 ? `(${sum}) / ${S}` : sum}`,
    numbers: `E_tot = ${errors.map((e) => num(value(e))).join(' + ')}${S > 1 ? ` / ${S}` : ''} = ${fullPrecision(value('E_tot'))}`,
    value: value('E_tot'), column: 'E_tot', neurons: [], weights: [], uses: errors })

  // Backward, output layer first: each δ the first time a gradient needs it, then the gradient.
  const model = modelOf(config)
  const seen = new Set<string>()
  const refs = (f: Formula): string[] => [...new Set(f.filter((t): t is Quantity => typeof t !== 'string').map((t) => t.name))]
  const params: { kind: 'w' | 'b'; index: number; layer: number }[] = []
  for (let l = depth; l >= 1; l--) {
    for (let w = weightOffset[l]; w < weightOffset[l] + layers[l] * layers[l - 1]; w++) params.push({ kind: 'w', index: w, layer: l })
    if (config.network.bias === 'trained') for (let b = neuronOffset[l]; b < neuronOffset[l] + layers[l]; b++) params.push({ kind: 'b', index: b, layer: l })
  }
  for (const p of params) {
    const d = derive(layout, model, row, p)
    for (const st of d.steps) {
      if (seen.has(st.name)) continue
      seen.add(st.name)
      const neuron = st.name.replace(/^δ_/, '').replace(/_s\d+$/, '')
      add({ id: st.name, phase: 'backward', layer: p.layer, formula: `${st.name} = ${renderSymbolic(st.formula)}`,
        numbers: `${st.name} = ${renderNumeric(st.formula)} = ${fullPrecision(st.value)}`, value: st.value, column: null,
        neurons: /^[ho][\d_]+$/.test(neuron) ? [neuron] : [], weights: [], uses: refs(st.formula) })
    }
    const ends = p.kind === 'w' ? weightEnds(shape, p.index) : null
    const owner = ends ? { layer: ends.layer, j: ends.to - 1 } : { layer: biasOwner(shape, p.index).layer, j: biasOwner(shape, p.index).neuron - 1 }
    add({ id: d.target, phase: 'backward', layer: p.layer, formula: `${d.target} = ${renderSymbolic(d.final)}`,
      numbers: `${d.target} = ${renderNumeric(d.final)} = ${fullPrecision(d.value)}`, value: d.value, column: d.target,
      neurons: [...(ends ? [node(ends.layer - 1, ends.from - 1)] : []), neuronName(shape, owner.layer, owner.j)],
      weights: ends ? [p.index] : [], uses: refs(d.final) })
  }

  // The update: every trained parameter at once, from this epoch's gradients.
  const eta = config.learningRate
  const mu = sheetMomentum(config.optimizer)
  for (const p of [...params].sort((a, b) => a.layer - b.layer || (a.kind === b.kind ? a.index - b.index : a.kind === 'w' ? -1 : 1))) {
    const name = `${p.kind}${p.index + 1}`
    const g = gradientName(name)
    const [w, gv] = [value(name), value(g)]
    const velocity = mu && previous ? mu * (w - previous[index.get(name)!]) : 0
    const next = w + velocity - eta * gv
    const momentum = mu && previous ? ` + ${mu}·(${name} − ${name}_prev)` : ''
    add({ id: `${name}′`, phase: 'update', layer: p.layer, formula: `${name} ← ${name}${momentum} − η·${g}`,
      numbers: `${name} ← ${num(w)}${momentum ? ` + ${mu}·(${num(w)} − ${num(previous![index.get(name)!])})` : ''} − ${eta}·${num(gv)} = ${fullPrecision(next)}`,
      value: next, column: name, neurons: [], weights: p.kind === 'w' ? [p.index] : [], uses: [g] })
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
