import type { Optimizer, OptimizerKind, Regularization } from './types'

/**
 * The optimizers' step, inline until the shared registry (src/shared/math/optimizers.ts) lands:
 * PyTorch's definitions, g the batch's mean gradient plus the regularization term, t the step count
 * from 1. State arrays are the optimizer's buffers in STATE_NAMES order, one value per parameter,
 * except momentum's: it keeps version 2's velocity u = −η·v (u ← μ·u − η·g; θ ← θ + u), the same
 * iterates as PyTorch's v ← μ·v + g; θ ← θ − η·v, and bit for bit what version-2 files saved.
 * columnValue turns a held value into the column's (v = −u/η).
 */
export const STATE_NAMES: Record<OptimizerKind, readonly string[]> = { sgd: [], momentum: ['v'], nesterov: ['v'], rmsprop: ['s'], adam: ['m', 'v'] }

/** The state column's value of a held state value (momentum: PyTorch's v from version 2's u). */
export const stateColumnValue = (kind: OptimizerKind, held: number, eta: number): number => (kind === 'momentum' ? 0 - held / eta : held) // 0 −: row 1 holds 0, not −0

/** Steps `params` in place: θ ← θ − η·(the optimizer's direction for g). */
export function optimizerStep(o: Optimizer, params: Float64Array, grads: Float64Array, state: readonly Float64Array[], t: number, eta: number, reg: Regularization): void {
  const { kind, momentum: mu, rho, beta1, beta2, epsilon } = o
  const lambda = reg.kind === 'none' ? 0 : reg.rate
  const l1 = reg.kind === 'l1'
  const c1 = 1 - Math.pow(beta1, t)
  const c2 = 1 - Math.pow(beta2, t)
  for (let i = 0; i < params.length; i++) {
    const p = params[i]
    const g = lambda === 0 ? grads[i] : grads[i] + lambda * (l1 ? Math.sign(p) : p)
    switch (kind) {
      case 'sgd':
        params[i] = p - eta * g
        break
      case 'momentum':
        params[i] = p + (state[0][i] = mu * state[0][i] - eta * g)
        break
      case 'nesterov': {
        const v = (state[0][i] = mu * state[0][i] + g)
        params[i] = p - eta * (g + mu * v)
        break
      }
      case 'rmsprop': {
        const s = (state[0][i] = rho * state[0][i] + (1 - rho) * g * g)
        params[i] = p - (eta * g) / (Math.sqrt(s) + epsilon)
        break
      }
      case 'adam': {
        const m = (state[0][i] = beta1 * state[0][i] + (1 - beta1) * g)
        const v = (state[1][i] = beta2 * state[1][i] + (1 - beta2) * g * g)
        params[i] = p - (eta * (m / c1)) / (Math.sqrt(v / c2) + epsilon)
        break
      }
    }
  }
}
