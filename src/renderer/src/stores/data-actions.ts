import type { Ref } from 'vue'
import * as v from 'valibot'
import { DataSpecSchema, DEFAULT_DATA_SPEC, FEATURES, isClassification, targetShapeProblem, type DataSpec, type Feature, type Generator } from '@shared/data'
import type { Sample } from '@shared/engine/types'
import { withGeneratedData, type Experiment } from '@shared/experiment'

/**
 * The experiment store's data side: the dataset picker (generator, count, noise, test fraction,
 * a new seed), the features chooser, and the rule that a hand edit of generated samples makes the
 * data explicit. Generating is the data module's (withGeneratedData); this only decides when.
 */
export interface DataDeps {
  experiment: Ref<Experiment>
  /** Marks a new samples list raw (kept out of deep reactivity; see experiment.ts). */
  raw: (samples: Sample[]) => Sample[]
  /** Fits the initial weights to a new shape of the network. */
  fitInit: () => void
  newSeed: () => number
}

/** Whether a spec can be generated as it stands (a value typed in a file, or mid-edit, may not be): the file's own rules. */
const generatable = (spec: DataSpec): boolean => v.is(DataSpecSchema, spec)

export function dataActions({ experiment, raw, fitInit, newSeed }: DataDeps) {
  /** The raw inputs of a sample: 2 (x1, x2) with features, else what the input layer takes. */
  const rawInputCount = (): number => (experiment.value.features ? 2 : experiment.value.network.layers[0])

  /** Samples and test samples from the spec, for the current output layer (nothing while the spec is mid-edit). */
  function regenerate(): void {
    const exp = experiment.value
    if (!exp.data || !generatable(exp.data)) return
    const layers = exp.network.layers
    // An output layer the generator's targets do not fit is the data's problem, said at the field: nothing to generate.
    if (targetShapeProblem(exp.data.generator, layers[layers.length - 1])) return
    const { samples, test } = withGeneratedData({ data: exp.data, network: exp.network })
    exp.samples = raw(samples)
    exp.test = raw(test)
  }

  /** The input layer follows the features (one neuron each), or the 2 raw inputs a generator gives. */
  function fitInputLayer(inputs: number): void {
    const layers = experiment.value.network.layers
    if (layers[0] === inputs) return
    layers[0] = inputs
    fitInit()
  }

  /** Picks a generator: the data becomes generated (the picker's spec, or Playground's defaults). */
  function chooseGenerator(generator: Generator): void {
    const exp = experiment.value
    exp.data = { ...(exp.data ?? DEFAULT_DATA_SPEC), generator }
    // One output (0/1 or the value), or one-hot over a 2-neuron softmax; the sheet's two sigmoids become one.
    const layers = exp.network.layers
    const oneHot = layers[layers.length - 1] === 2 && isClassification(generator) && exp.network.activations.at(-1) === 'softmax'
    if (layers[layers.length - 1] !== 1 && !oneHot) {
      layers[layers.length - 1] = 1
      fitInit()
    }
    fitInputLayer(exp.features?.length ?? 2)
    regenerate()
  }

  /** Changes the spec's count, noise or test fraction (the seed stays: the same points, more or fewer). */
  function setDataSpec(patch: Partial<Pick<DataSpec, 'count' | 'noise' | 'testFraction' | 'seed'>>): void {
    const exp = experiment.value
    if (!exp.data) return
    exp.data = { ...exp.data, ...patch }
    regenerate()
  }

  /** "Regenerate": the same spec with a new seed. */
  function newDataSeed(): void {
    setDataSpec({ seed: newSeed() })
  }

  /** Keeps the current samples as explicit ones: the grid edits them from here on. */
  function makeExplicit(): void {
    delete experiment.value.data
  }

  /** The features of 2-D data, in the order FEATURES lists them; the input layer follows. */
  function setFeatures(features: readonly Feature[]): void {
    const exp = experiment.value
    if (!exp.features && exp.network.layers[0] !== 2) return // not 2-D data: no features apply
    exp.features = FEATURES.filter((f) => features.includes(f))
    if (exp.features.length > 0) fitInputLayer(exp.features.length)
  }

  /** Back to the raw (x1, x2) as the inputs. */
  function clearFeatures(): void {
    if (!experiment.value.features) return
    delete experiment.value.features
    fitInputLayer(2)
  }

  return { rawInputCount, regenerate, chooseGenerator, setDataSpec, newDataSeed, makeExplicit, setFeatures, clearFeatures }
}
