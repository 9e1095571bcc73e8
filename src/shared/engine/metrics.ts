import type { Sample } from './types'

/**
 * The epoch table's measures beside E_tot: accuracy for classification, defined here once (the
 * regularization penalty is the registry's, src/shared/math/optimizers.ts); the trainer fills their
 * columns from them.
 */

/** Classification: every target of the training and the test set is 0 or 1 (acc_train, acc_test then exist). */
export function isClassification(samples: readonly Sample[], test: readonly Sample[]): boolean {
  const binary = (list: readonly Sample[]): boolean => list.every((s) => s.targets.every((t) => t === 0 || t === 1))
  return binary(samples) && binary(test)
}

/**
 * Fraction of samples predicted right, from each sample's outputs `outputs[s·K + k]` and targets
 * `targets[s·K + k]`. Softmax outputs: the largest output is the class (the first on a tie) and must
 * be the target's largest. Otherwise every output counts as 1 from 0.5 up, and must equal its target.
 */
export function accuracy(outputs: Float64Array, targets: Float64Array, K: number, samples: number, softmax: boolean): number {
  let right = 0
  for (let s = 0; s < samples; s++) {
    const o = s * K
    if (softmax) {
      let best = 0
      let want = 0
      for (let k = 1; k < K; k++) {
        if (outputs[o + k] > outputs[o + best]) best = k
        if (targets[o + k] > targets[o + want]) want = k
      }
      if (best === want) right++
    } else {
      let all = true
      for (let k = 0; k < K && all; k++) all = (outputs[o + k] >= 0.5 ? 1 : 0) === targets[o + k]
      if (all) right++
    }
  }
  return samples ? right / samples : NaN
}
