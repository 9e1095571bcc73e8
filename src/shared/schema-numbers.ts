import * as v from 'valibot'
import { LIMITS } from './limits'

/**
 * The number schemas the file format's fields share, in its words: the experiment's
 * (experiment.ts) and its generated data set's (data/dataset.ts, which experiment.ts imports).
 */

export const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'))

/** A seed: init.seed, data.seed, training.shuffleSeed. */
export const uint32 = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(0, 'must be ≥ 0'),
  v.maxValue(LIMITS.maxSeed, 'must be < 2³²')
)
