import { OPTIMIZER_DEFS } from '../math/optimizers'
import type { Optimizer, OptimizerKind, Regularization } from './types'

/**
 * The trainer's step: the optimizer registry's (src/shared/math/optimizers.ts: PyTorch's
 * definitions, g the batch's mean gradient plus the regularization term, t the step count from 1),
 * except momentum's. It keeps version 2's velocity u = −η·v (u ← μ·u − η·g; θ ← θ + u), the same
 * iterates as PyTorch's v ← μ·v + g; θ ← θ − η·v, and bit for bit what version-2 files saved.
 * stateColumnValue turns a held value into the column's (v = −u/η), heldStateValue back.
 */

/** The state column's value of a held state value (momentum: PyTorch's v from version 2's u). */
export const stateColumnValue = (kind: OptimizerKind, held: number, eta: number): number => (kind === 'momentum' ? 0 - held / eta : held) // 0 −: row 1 holds 0, not −0

/** The held state value of a state column's value, stateColumnValue's inverse (momentum: version 2's u = −η·v). */
export const heldStateValue = (kind: OptimizerKind, column: number, eta: number): number => (kind === 'momentum' ? column * -eta : column)

/** Steps `params` in place: θ ← θ − η·(the optimizer's direction for g). Returns whether every new parameter is finite. */
export function optimizerStep(o: Optimizer, params: Float64Array, grads: Float64Array, state: readonly Float64Array[], t: number, eta: number, reg: Regularization): boolean {
  if (o.kind !== 'momentum') return OPTIMIZER_DEFS[o.kind].step(params, grads, state, t, eta, reg, o)
  const mu = o.momentum
  const u = state[0]
  const lambda = reg.kind === 'none' ? 0 : reg.rate
  const l1 = reg.kind === 'l1'
  let check = 0 // x − x is 0 for a finite x, NaN otherwise
  for (let i = 0; i < params.length; i++) {
    const p = params[i]
    const g = lambda === 0 ? grads[i] : grads[i] + lambda * (l1 ? Math.sign(p) : p)
    const x = (params[i] = p + (u[i] = mu * u[i] - eta * g))
    check += x - x
  }
  return check === 0
}
