import { computed } from 'vue'
import { BoundaryGrid, featureMap, planeOf, type FeatureMap, type Plane } from '@shared/engine/boundary'
import { activationRange } from '@shared/boundary-colors'
import { networkProblem } from '@shared/engine/validate'
import type { NetworkSpec, Sample } from '@shared/engine/types'
import { useExperimentStore } from '../stores/experiment'
import { useTrainingStore, type RunView } from '../stores/training'
import { shownParameters } from '../runs/row-parameters'

/**
 * What the decision boundary and the diagram's neuron heatmaps draw: the raw 2-D points (training
 * and test), the plane around them, the network and its input features, and the parameters to
 * show (the selected epoch's, else the live ones of the selected run, else the initial ones).
 */
export interface BoundaryParams {
  weights: ArrayLike<number>
  biases: ArrayLike<number>
  caption: string
}

export function useBoundarySource() {
  const experimentStore = useExperimentStore()
  const training = useTrainingStore()

  const run = computed<RunView | null>(() => training.currentRun)
  const network = computed<NetworkSpec>(() => run.value?.config.network ?? experimentStore.experiment.network)
  // The raw (2-D) samples and the chosen features, as the experiment holds them (generated or explicit).
  const experiment = computed(() => experimentStore.experiment)
  const train = computed<readonly Sample[]>(() => experiment.value.samples)
  const test = computed<readonly Sample[]>(() => experiment.value.test)
  const features = computed<FeatureMap>(() => featureMap(experiment.value.features))

  /** Why there is no boundary to draw, or null. */
  const unavailable = computed<string | null>(() => {
    const raw = train.value[0]?.inputs.length ?? 0
    if (raw !== 2 || train.value.some((s) => s.inputs.length !== 2))
      return `The decision boundary is drawn for 2 raw inputs (x1, x2); these samples have ${raw}.`
    // One point has no boundary to show (the sheet's experiment): the window then keeps its four views.
    if (train.value.length + test.value.length < 2) return 'The decision boundary needs at least two points.'
    // A network the engine would refuse (a size or an activation being edited), or one whose input layer does not take the features.
    if (networkProblem(network.value) || network.value.layers[0] !== (experiment.value.features?.length ?? 2))
      return 'Fix the network to see its decision boundary.'
    return null
  })

  const plane = computed<Plane>(() => planeOf([...train.value, ...test.value]))

  /** The output the map shows: the only one, or for two (one-hot, softmax) the second, class 1's probability. */
  const output = computed(() => (network.value.layers.at(-1) === 2 ? 1 : 0))

  /** A grid for the network and plane, kept while they stay the same (its buffers are reused). */
  function gridOf(size: number) {
    let cache: { key: string; map: FeatureMap; grid: BoundaryGrid } | null = null
    return computed<BoundaryGrid | null>(() => {
      if (unavailable.value) return null
      const n = network.value
      const p = plane.value
      const map = features.value
      const key = JSON.stringify([n.layers, n.activations, n.bias, p, size])
      if (cache?.key !== key || cache.map !== map) cache = { key, map, grid: new BoundaryGrid(n, p, size, map) }
      return cache.grid
    })
  }

  /** The parameters to draw now. Reads the store's live numbers: call it when drawing, not in a computed. */
  function params(): BoundaryParams | null {
    const p = shownParameters(run.value, training.selectedEpoch, experimentStore.initial)
    if (!p) return null
    if (p.from === 'initial') return { weights: p.weights, biases: p.biases, caption: 'initial weights' }
    if (p.from === 'row') return { weights: p.weights, biases: p.biases ?? [], caption: `epoch ${p.epoch + 1}` }
    return { weights: p.weights, biases: p.biases, caption: p.run.epochs ? `after epoch ${p.run.epochs}` : 'initial weights' }
  }

  /**
   * Which parameters of the shown run (`run`: watch both) are drawn, as a value that changes when
   * they do: a selected epoch's row never changes once it is there (its epoch); the live ones change
   * with each frame that applied a batch (a frame that may also bring the selected row); the initial
   * ones are a new object when edited.
   */
  function paramsKey(): unknown {
    const live = training.liveVersion
    const p = shownParameters(run.value, training.selectedEpoch, experimentStore.initial)
    if (p?.from === 'row') return `epoch ${p.epoch}`
    return p?.from === 'live' ? `live ${live}` : p?.weights
  }

  /**
   * One colour scale for the map and the points' targets: classes (every target 0 or 1) from 0 to
   * 1, white at the 0.5 threshold whatever the output's activation; otherwise the output's range,
   * or for an unbounded one (regression) the targets' own extent.
   */
  const targetRange = computed<[number, number]>(() => {
    let lo = Infinity
    let hi = -Infinity
    let classes = true
    for (const s of [...train.value, ...test.value]) {
      const t = s.targets[output.value] ?? NaN
      if (!Number.isFinite(t)) continue
      if (t !== 0 && t !== 1) classes = false
      lo = Math.min(lo, t)
      hi = Math.max(hi, t)
    }
    if (classes) return [0, 1]
    const fixed = activationRange(network.value.activations.at(-1) ?? 'linear')
    if (fixed) return fixed
    return lo < hi ? [lo, hi] : [lo - 1, lo + 1]
  })

  return { training, run, network, train, test, plane, output, unavailable, gridOf, params, paramsKey, targetRange }
}
