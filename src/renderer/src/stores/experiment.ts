import { defineStore } from 'pinia'
import { computed, markRaw, ref, toRaw } from 'vue'
import { refitParameters } from '@shared/engine/refit'
import { shapeOf } from '@shared/engine/shape'
import type { Activation, BiasMode, InitScheme, RunConfig, Sample } from '@shared/engine/types'
import { defaultExperiment, initialParameters, runConfigs, type Experiment } from '@shared/experiment'
import { experimentProblems, experimentWarnings, fieldLabel, type Problems } from '@shared/experiment-problems'
import { editGroup } from '../editing/edit-group'
import { useHistory } from '../editing/undo-history'
import { dataActions } from './data-actions'

type SeededInit = { seed: number; scheme: InitScheme; range?: number }
type ExplicitInit = { weights: number[]; biases?: number[] }

export const isSeeded = (init: Experiment['init']): init is Experiment['init'] & SeededInit => 'seed' in init

/** A fresh seed for "Re-draw"; the draw itself is seeded and reproducible. */
function newSeed(): number {
  const a = new Uint32Array(1)
  crypto.getRandomValues(a)
  return a[0]
}

/**
 * The samples are kept out of Vue's deep reactivity: at the format's limits they hold 10,240,000
 * numbers, and a proxy on each (and a check of each on every keystroke) froze the window. Every
 * change replaces the list, and only the sample it touches (copy on write), so what follows the
 * samples — views, problems (cached per sample), the document's snapshot — sees a new list.
 */
type Samples = Experiment['samples']
/** The two lists of samples the editor edits: the training samples and the explicit test samples. */
export type SampleList = 'samples' | 'test'
const SAMPLE_LISTS: readonly SampleList[] = ['samples', 'test']
const rawSamples = (samples: Samples): Samples => markRaw(samples)

function withRawSamples(exp: Experiment): Experiment {
  exp.samples = rawSamples(exp.samples)
  exp.test = rawSamples(exp.test ?? [])
  return exp
}

/** A copy of an experiment; the samples' number lists by slice (structuredClone took seconds on 10,240,000 numbers). */
function copyOf(exp: Experiment): Experiment {
  const { samples, test, ...rest } = toRaw(exp)
  const copy = structuredClone(rest) as Experiment
  const copySample = (s: Samples[number]): Samples[number] =>
    Array.isArray(s?.inputs) && Array.isArray(s?.targets) ? { ...s, inputs: s.inputs.slice(), targets: s.targets.slice() } : structuredClone(s)
  const copyList = (list: Samples): Samples => (Array.isArray(list) ? list.map(copySample) : structuredClone(list))
  copy.samples = copyList(samples)
  copy.test = copyList(test ?? [])
  return withRawSamples(copy)
}

/** The experiment being edited: what Train runs, Save writes and the editor shows. */
export const useExperimentStore = defineStore('experiment', () => {
  const experiment = ref<Experiment>(withRawSamples(defaultExperiment()))

  const problems = computed<Problems>(() => experimentProblems(experiment.value))
  /** Warnings that do not block training (a target the output can never reach). */
  const warnings = computed<Problems>(() => experimentWarnings(experiment.value))
  /** The field of the first problem: the one the "Cannot train" reason names and shows. */
  const trainBlockedField = computed<string | null>(() => Object.keys(problems.value)[0] ?? null)
  const trainBlockedReason = computed<string | null>(() => {
    const field = trainBlockedField.value
    if (field === null) return null
    return `${fieldLabel(field, experiment.value.network.layers.length)}: ${problems.value[field]}`
  })
  /** What the last change of architecture did to the initial weights ("kept 8, drew 4 new"). */
  const initNotice = ref<string | null>(null)
  /** The layer sizes the explicit initial values were last fitted to (a size being typed may be NaN for a while). */
  let fittedLayers = [...experiment.value.network.layers]
  /** One run configuration per learning rate; empty while the experiment has problems. */
  const configs = computed<RunConfig[]>(() => (trainBlockedReason.value ? [] : runConfigs(experiment.value)))
  /** The initial parameters as the runs will start (drawn when the init is seeded). */
  const initial = computed<{ weights: number[]; biases: number[] } | null>(() => {
    try {
      return initialParameters(experiment.value)
    } catch {
      return null
    }
  })

  const history = useHistory(
    experiment,
    (exp) => {
      experiment.value = withRawSamples(exp)
      fittedLayers = [...exp.network.layers]
      initNotice.value = null
    },
    editGroup,
    SAMPLE_LISTS // kept by reference: never changed in place (see rawSamples)
  )

  /** A new document (New, Open): its own history starts here. */
  function replace(exp: Experiment): void {
    history.load(copyOf(exp))
  }

  /** Turns a seeded init into the explicit values it draws, so one value can be edited. */
  function explicitInit(): ExplicitInit {
    const exp = experiment.value
    if (!isSeeded(exp.init)) {
      const init = exp.init as ExplicitInit
      if (exp.network.bias !== 'none' && !init.biases) init.biases = new Array(shapeOf(exp.network.layers).neuronCount).fill(0)
      return init
    }
    const drawn = initial.value ?? { weights: [], biases: [] }
    const init: ExplicitInit = { weights: drawn.weights, biases: drawn.biases }
    exp.init = init as Experiment['init']
    return init
  }

  function setInitialWeight(i: number, value: number): void {
    explicitInit().weights[i] = value
  }

  function setInitialBias(i: number, value: number): void {
    const init = explicitInit()
    init.biases ??= []
    init.biases[i] = value
  }

  /** New seed (switching an explicit init to a seeded one with `scheme`, xavier by default). */
  function redraw(scheme?: InitScheme): void {
    const init = experiment.value.init
    const current = isSeeded(init) ? init : null
    experiment.value.init = {
      seed: newSeed(),
      scheme: scheme ?? current?.scheme ?? 'xavier',
      ...(current?.range ? { range: current.range } : {}),
    } as Experiment['init']
  }

  /**
   * After a change of shape, explicit initial values keep every weight whose position still exists
   * (`layerOf` maps a new layer to its old index, −1 for a new one); only the new positions are
   * drawn (Xavier, fresh seed), and initNotice says how many of each.
   */
  function fitInit(layerOf: (l: number) => number = (l) => l): void {
    const exp = experiment.value
    const layers = exp.network.layers
    if (!layers.every((n) => Number.isInteger(n) && n >= 1 && n <= 512)) return // a size is being typed
    const before = fittedLayers
    fittedLayers = [...layers]
    const changed = before.length !== layers.length || before.some((n, l) => n !== layers[l])
    if (isSeeded(exp.init)) {
      // A seeded draw is the seed's draw for the shape it is given: the whole draw follows the shape.
      if (changed) initNotice.value = `Seeded initial weights: drawn again for the new shape from seed ${exp.init.seed}.`
      return
    }
    const shape = shapeOf(layers)
    const init = exp.init as ExplicitInit
    if (changed) {
      const drawn = initialParameters({ ...exp, init: { seed: newSeed(), scheme: 'xavier' } as Experiment['init'] })
      const r = refitParameters(before, layers, layerOf, init, drawn)
      init.weights = r.weights
      if (exp.network.bias !== 'none') init.biases = r.biases
      initNotice.value =
        r.drawnCount === 0
          ? `Kept all ${r.kept} initial weights.`
          : `Kept ${r.kept} initial weight${r.kept === 1 ? '' : 's'} where ${r.kept === 1 ? 'its' : 'their'} position still exists; drew ${r.drawnCount} new one${r.drawnCount === 1 ? '' : 's'} (Xavier).`
    }
    if (exp.network.bias === 'none') delete init.biases
    else if ((init.biases?.length ?? 0) !== shape.neuronCount) init.biases = new Array(shape.neuronCount).fill(0)
  }

  const data = dataActions({ experiment, raw: rawSamples, fitInit, newSeed })

  function fitSamples(): void {
    if (experiment.value.data) return data.regenerate() // generated for the output layer as it now is
    const { layers } = experiment.value.network
    const I = data.rawInputCount()
    const K = layers[layers.length - 1]
    const fit = (v: number[], n: number): number[] => (v.length === n ? v : Array.from({ length: n }, (_, i) => v[i] ?? 0))
    for (const list of SAMPLE_LISTS) {
      const samples = experiment.value[list]
      if (samples.every((s) => s.inputs.length === I && s.targets.length === K)) continue
      experiment.value[list] = rawSamples(samples.map((s) => ({ ...s, inputs: fit(s.inputs, I), targets: fit(s.targets, K) })))
    }
  }

  function setLayerSize(l: number, size: number): void {
    if (l === 0 && experiment.value.features) return // the input layer is one neuron per feature
    experiment.value.network.layers[l] = size
    if (Number.isInteger(size) && size >= 1 && size <= 512) {
      fitSamples()
      fitInit()
    }
  }

  function addHiddenLayer(): void {
    const net = experiment.value.network
    const at = net.layers.length - 1
    net.layers.splice(at, 0, net.layers[at - 1] ?? 2)
    net.activations.splice(at - 1, 0, 'sigmoid')
    fitInit((l) => (l < at ? l : l === at ? -1 : l - 1))
  }

  function removeHiddenLayer(index: number): void {
    const net = experiment.value.network
    if (index <= 0 || index >= net.layers.length - 1) return
    net.layers.splice(index, 1)
    net.activations.splice(index - 1, 1)
    fitInit((l) => (l < index ? l : l + 1))
  }

  function setActivation(l: number, activation: Activation): void {
    experiment.value.network.activations[l] = activation
  }

  function setBias(bias: BiasMode): void {
    experiment.value.network.bias = bias
    fitInit()
  }

  /** Adds a sample of zeros to the training samples, or to the test samples. */
  function addSample(to: SampleList = 'samples'): void {
    const { layers } = experiment.value.network
    const sample = { inputs: new Array(data.rawInputCount()).fill(0), targets: new Array(layers[layers.length - 1]).fill(0) }
    data.makeExplicit()
    experiment.value[to] = rawSamples([...experiment.value[to], sample])
  }

  function removeSample(s: number, from: SampleList = 'samples'): void {
    data.makeExplicit()
    experiment.value[from] = rawSamples(experiment.value[from].filter((_, i) => i !== s))
  }

  /** Sets one input or target of sample `s` of the training (or test) samples. */
  function setSampleValue(s: number, list: 'inputs' | 'targets', i: number, value: number, of: SampleList = 'samples'): void {
    const samples = experiment.value[of].slice()
    const values = samples[s][list].slice()
    values[i] = value
    samples[s] = { ...samples[s], [list]: values }
    data.makeExplicit() // a generated sample edited by hand: the data is the samples now
    experiment.value[of] = rawSamples(samples)
  }

  /**
   * Replaces the samples with rows pasted from a spreadsheet: tab- (or comma-) separated, inputs
   * then targets. New training samples drop the test samples (they were drawn with the old ones);
   * pasted test samples leave the training samples as they are. Returns a message when the text
   * does not fit the network.
   */
  function pasteSamples(text: string, into: SampleList = 'samples'): string | null {
    const { layers } = experiment.value.network
    const I = data.rawInputCount()
    const K = layers[layers.length - 1]
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
    const rows = lines.map((l) => l.split(l.includes('\t') ? '\t' : /[;,]\s*|\s+/).map((c) => c.trim()))
    // A header row (non-numeric first cell) is skipped.
    if (rows.length && rows[0].some((c) => c !== '' && !Number.isFinite(Number(c)))) rows.shift()
    if (rows.length === 0) return 'Nothing to paste.'
    const bad = rows.findIndex((r) => r.length !== I + K)
    if (bad >= 0) return `Row ${bad + 1} has ${rows[bad].length} values; each needs ${I} inputs and ${K} targets (${I + K}).`
    data.makeExplicit()
    experiment.value[into] = rawSamples(rows.map((r) => ({ inputs: r.slice(0, I).map(Number), targets: r.slice(I).map(Number) })))
    if (into === 'samples') experiment.value.test = rawSamples([])
    return null
  }

  /**
   * Samples imported from a file (CSV): they become the explicit samples, and the input and output
   * layers take their sizes (the initial weights are fitted as for any change of shape). Imported
   * as the test samples, they replace those only and must fit the network as it is (returns why not).
   */
  function importSamples(samples: readonly Sample[], into: SampleList = 'samples'): string | null {
    const exp = experiment.value
    const copies = samples.map((x) => ({ inputs: x.inputs, targets: x.targets }))
    if (into === 'test') {
      const I = data.rawInputCount()
      const K = exp.network.layers[exp.network.layers.length - 1]
      const bad = samples.findIndex((x) => x.inputs.length !== I || x.targets.length !== K)
      const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`
      if (bad >= 0)
        return `Test sample ${bad + 1} has ${n(samples[bad].inputs.length, 'input')} and ${n(samples[bad].targets.length, 'target')}; the network takes ${n(I, 'input')} and ${n(K, 'target')}.`
      data.makeExplicit()
      exp.test = rawSamples(copies)
      return null
    }
    data.makeExplicit()
    delete exp.features // the file's columns are the inputs
    exp.test = rawSamples([])
    const layers = exp.network.layers
    layers[0] = samples[0]?.inputs.length ?? layers[0]
    layers[layers.length - 1] = samples[0]?.targets.length ?? layers[layers.length - 1]
    exp.samples = rawSamples(copies)
    fitInit()
    return null
  }

  return {
    experiment,
    problems,
    warnings,
    trainBlockedField,
    trainBlockedReason,
    initNotice,
    undo: history.undo,
    redo: history.redo,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    /** What the undo history keeps (steps and bytes). */
    historySize: history.size,
    configs,
    initial,
    replace,
    setInitialWeight,
    setInitialBias,
    redraw,
    setLayerSize,
    addHiddenLayer,
    removeHiddenLayer,
    setActivation,
    setBias,
    addSample,
    removeSample,
    setSampleValue,
    pasteSamples,
    importSamples,
    rawInputCount: data.rawInputCount,
    chooseGenerator: data.chooseGenerator,
    setDataSpec: data.setDataSpec,
    newDataSeed: data.newDataSeed,
    makeExplicit: data.makeExplicit,
    setFeatures: data.setFeatures,
    clearFeatures: data.clearFeatures,
  }
})

/** How the editor names one sample of a list: "sample" or "test sample". */
export const sampleNoun = (list: SampleList): string => (list === 'test' ? 'test sample' : 'sample')
