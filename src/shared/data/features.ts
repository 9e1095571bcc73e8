import type { Sample } from '../engine/types'

/**
 * Playground's feature transforms of a 2-D input (x1, x2). With `features` chosen, the network's
 * input layer is one neuron per feature, and runConfigs feeds it these values instead of the raw
 * inputs. Each feature's value and its names live here only.
 */
export const FEATURES = ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'] as const
export type Feature = (typeof FEATURES)[number]

export interface FeatureDefinition {
  /** For labels and tooltips, e.g. "x₁²". */
  label: string
  /** LaTeX, for typeset formulas. */
  tex: string
  value: (x1: number, x2: number) => number
}

export const FEATURE_DEFINITIONS: Record<Feature, FeatureDefinition> = {
  x1: { label: 'x₁', tex: 'x_1', value: (x1) => x1 },
  x2: { label: 'x₂', tex: 'x_2', value: (_x1, x2) => x2 },
  'x1^2': { label: 'x₁²', tex: 'x_1^2', value: (x1) => x1 * x1 },
  'x2^2': { label: 'x₂²', tex: 'x_2^2', value: (_x1, x2) => x2 * x2 },
  'x1*x2': { label: 'x₁·x₂', tex: 'x_1 x_2', value: (x1, x2) => x1 * x2 },
  'sin(x1)': { label: 'sin(x₁)', tex: '\\sin(x_1)', value: (x1) => Math.sin(x1) },
  'sin(x2)': { label: 'sin(x₂)', tex: '\\sin(x_2)', value: (_x1, x2) => Math.sin(x2) },
}

/** The feature values of one raw 2-D input, in the order of `features`. */
export function featureValues(features: readonly Feature[], inputs: readonly number[]): number[] {
  if (inputs.length !== 2) throw new RangeError(`features need 2 raw inputs (x1, x2), got ${inputs.length}`)
  const [x1, x2] = inputs
  return features.map((f) => FEATURE_DEFINITIONS[f].value(x1, x2))
}

/** Why `features` cannot apply to samples with `rawInputs` inputs, or null. The one check, for the file and the editor. */
export function featuresProblem(features: readonly Feature[], rawInputs: number): string | null {
  if (features.length === 0) return 'needs at least one feature'
  const twice = features.find((f, i) => features.indexOf(f) !== i)
  if (twice) return `lists "${twice}" twice`
  if (rawInputs !== 2) return `apply to 2 raw inputs (x1, x2); the samples have ${rawInputs}`
  return null
}

/**
 * Plain copies of the samples whose inputs are the feature values (the raw inputs without
 * features). Copies, so that what goes to a worker is never the window's reactive data.
 */
export function applyFeatures(features: readonly Feature[] | undefined, samples: readonly Sample[]): Sample[] {
  return samples.map((s) => ({ inputs: features ? featureValues(features, s.inputs) : [...s.inputs], targets: [...s.targets] }))
}
