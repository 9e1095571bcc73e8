import { stepText } from '../column-formula'
import { isMiniBatch } from '../engine/batches'
import { gradientName, type ColumnLayout } from '../engine/columns'
import { heldStateValue, optimizerStep } from '../engine/optimizer-step'
import { NO_REGULARIZATION, type RunConfig } from '../engine/types'
import { fullPrecision, type Model, type Param } from '../derivation'
import { quantity as q, type Formula } from '../formula-terms'
import type { WalkStep } from './steps'

/**
 * A parameter's update beyond the sheet's own step (another optimizer, regularization, or
 * mini-batches): the rule in the words of the column formulas, and its value. Full batch: one step
 * of the engine's optimizer from this row's parameter, gradient and optimizer state (t = the epoch).
 * Mini-batches: the step used the epoch's batches, not this row's gradient, so the value is the next
 * row's (NaN until that epoch is trained).
 */
export function optimizerUpdate(input: {
  config: RunConfig
  /** modelOf(config) (walkSteps makes it once for the epoch). */
  model: Model
  layout: ColumnLayout
  /** The layout's column of each name (walkSteps builds it once for the epoch). */
  index: ReadonlyMap<string, number>
  row: ArrayLike<number>
  nextRow: ArrayLike<number> | null
  epoch: number
  param: Param
  layer: number
}): WalkStep {
  const { config, model, layout, index, row, nextRow, epoch, param: p, layer } = input
  const name = `${p.kind}${p.index + 1}`
  const isWeight = p.kind === 'w'
  const col = (n: string): number => index.get(n)!
  const g = gradientName(name)
  const rule = stepText(name, model, isWeight)
  const w = row[col(name)]
  const eta = config.learningRate
  /**
   * Typeset as w ← w − η·Δw, Δw the optimizer's direction ((w − new w)/η, what its rule gives; the
   * rule itself is `formula`, in the column formulas' words).
   */
  const expr = (next: number): Formula => [q(name, w), ' − ', q('η', eta), '·', q(`Δ${name}`, (w - next) / eta)]
  const base = { id: `${name}′`, phase: 'update' as const, layer, target: name, relation: '←' as const, formula: `${name} ← ${rule}`, column: name, neurons: [], weights: isWeight ? [p.index] : [], uses: [g], param: p }
  if (isMiniBatch(config)) {
    const value = nextRow ? nextRow[col(name)] : NaN
    const numbers = nextRow
      ? `${name} ← ${fullPrecision(value)} after the epoch's batches (each stepped on its own batch's gradient, not the whole set's ${g})`
      : `${name}: the epoch's batches have not been trained yet`
    return { ...base, expr: expr(value), numbers, value }
  }
  const state = layout.stateNames.map((symbol) => Float64Array.of(heldStateValue(config.optimizer.kind, row[col(`${symbol}_${name}`)], eta)))
  const stepped = Float64Array.of(row[col(name)])
  optimizerStep(config.optimizer, stepped, Float64Array.of(row[col(g)]), state, epoch, config.learningRate, isWeight ? config.regularization : NO_REGULARIZATION)
  const states = layout.stateNames.map((symbol) => `, ${symbol}_${name} = ${fullPrecision(row[col(`${symbol}_${name}`)])}`).join('')
  return { ...base, expr: expr(stepped[0]), numbers: `${name} ← ${fullPrecision(stepped[0])} (from ${name} = ${fullPrecision(row[col(name)])}, ${g} = ${fullPrecision(row[col(g)])}${states}, t = ${epoch})`, value: stepped[0] }
}
