import * as v from 'valibot'
import { seededRandom } from '../engine/random'
import type { Sample } from '../engine/types'
import { LIMITS } from '../limits'
import { finite, uint32 } from '../schema-numbers'
import { GENERATORS, generatePoints, isClassification, type Generator } from './generators'
import { splitSamples } from './split'

/** A generated data set: which generator, how many points, how noisy, the seed, and how many are held out. */
export interface DataSpec {
  generator: Generator
  /** Points drawn, training and test together: LIMITS.minDataCount–maxDataCount. */
  count: number
  /** Percent, 0–LIMITS.maxNoise. */
  noise: number
  /** uint32: the points and the split both come from it. */
  seed: number
  /** 0–LIMITS.maxTestFraction of the points become the test set. */
  testFraction: number
}

/** What the dataset picker starts from: Playground's defaults (noise 0, half the points for testing). */
export const DEFAULT_DATA_SPEC: DataSpec = { generator: 'circle', count: 200, noise: 0, seed: 1, testFraction: 0.5 }

/** The file's `data` field; the same rules for the editor (dataset picker). */
export const DataSpecSchema = v.looseObject(
  {
    generator: v.picklist(GENERATORS, `must be one of ${GENERATORS.join(', ')}`),
    count: v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(LIMITS.minDataCount, `must be at least ${LIMITS.minDataCount}`),
      v.maxValue(LIMITS.maxDataCount, `must be at most ${LIMITS.maxDataCount}`)
    ),
    noise: v.pipe(finite, v.minValue(0, 'must be ≥ 0'), v.maxValue(LIMITS.maxNoise, `must be at most ${LIMITS.maxNoise} (percent)`)),
    seed: uint32,
    testFraction: v.optional(
      v.pipe(finite, v.minValue(0, 'must be ≥ 0'), v.maxValue(LIMITS.maxTestFraction, `must be at most ${LIMITS.maxTestFraction}`)),
      0
    ),
  },
  'must be an object with a generator, count, noise and seed'
)

/**
 * Why a network with `outputs` output neurons cannot learn `generator`'s targets, or null.
 * A class is one 0/1 target, or one-hot over 2 outputs (a 2-neuron softmax); a regression is one real target.
 */
export function targetShapeProblem(generator: Generator, outputs: number): string | null {
  if (isClassification(generator))
    return outputs === 1 || outputs === 2
      ? null
      : `"${generator}" has 2 classes: the output layer needs 1 neuron (0/1) or 2 (one-hot), not ${outputs}`
  return outputs === 1 ? null : `"${generator}" gives one number per point: the output layer needs 1 neuron, not ${outputs}`
}

/** The target list of a point's label: [label] with one output, [1 − label, label] (one-hot) with two. */
export function targetsOf(label: number, outputs: number): number[] {
  return outputs === 2 ? [1 - label, label] : [label]
}

/**
 * The training and test samples of a spec, for a network with `outputs` output neurons (checked
 * first with targetShapeProblem). Inputs are the raw (x1, x2); features apply later, in runConfigs.
 * Deterministic: the same spec gives the same samples, in the same order, bit for bit.
 */
export function generateDataset(spec: DataSpec, outputs: number): { samples: Sample[]; test: Sample[] } {
  const problem = targetShapeProblem(spec.generator, outputs)
  if (problem) throw new RangeError(problem)
  // One stream for the points and then the split: changing the test fraction keeps the points.
  const random = seededRandom(spec.seed)
  const points = generatePoints(spec.generator, spec.count, spec.noise, random)
  const samples = points.map((p) => ({ inputs: [p.x1, p.x2], targets: targetsOf(p.label, outputs) }))
  const { train, test } = splitSamples(samples, spec.testFraction, random)
  return { samples: train, test }
}
