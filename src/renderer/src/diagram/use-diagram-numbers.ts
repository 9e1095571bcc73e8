import { computed, ref } from 'vue'
import { useExperimentStore } from '../stores/experiment'
import { useShownRuns } from '../composables/shown-runs'
import { useTrainingStore } from '../stores/training'
import { diagramGeometry, maxAbs } from './layout'
import { shownParameters } from '../runs/row-parameters'
import type { Mark } from '@shared/walkthrough/highlight'

/**
 * The numbers the network diagram shows, and where they come from: the initial weights while idle,
 * the selected epoch's row when one is selected, else the live ones of the last batch. The drawing
 * is NetworkDiagram.vue's.
 */
export interface Shown {
  weights: ArrayLike<number>
  biases: ArrayLike<number> | null
  /** Values of the row the neurons show, or null (idle: nothing computed yet). */
  row: Float64Array | null
  caption: string
}

export function useDiagramNumbers() {
  const training = useTrainingStore()
  const experimentStore = useExperimentStore()

  /** Past this many weights the diagram is not drawn (an SVG line each would swamp the page). */
  const MAX_DRAWN_WEIGHTS = 4096
  /**
   * While a job runs, the live numbers are redrawn at most this often: every label and neuron of the
   * SVG changes at once, and relaying it out for each of the store's updates would cost the page
   * its frame budget. Pauses, steps and ends show at once.
   */
  const RUNNING_REDRAW_MS = 250
  // A watchable pace (10 epochs a second or fewer) is shown epoch by epoch.
  const { version: shownVersion, current: run } = useShownRuns(() => (training.pace > 0 && training.pace <= 10 ? 0 : RUNNING_REDRAW_MS))
  const editable = computed(() => training.status === 'idle')
  const network = computed(() => run.value?.config.network ?? experimentStore.experiment.network)
  const sample = ref(0)

  const problem = computed<string | null>(() => {
    const { layers, activations } = network.value
    if (layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) return 'Fix the layer sizes to see the network.'
    if (activations.length !== layers.length - 1) return 'Fix the activations to see the network.'
    let weights = 0
    for (let l = 1; l < layers.length; l++) weights += layers[l] * layers[l - 1]
    if (weights > MAX_DRAWN_WEIGHTS) return `${weights} weights are too many to draw; the table and the chain-rule view show them all.`
    return null
  })
  /** The same layer sizes keep the same geometry (a job's network is a copy of the editor's): nothing is redrawn for it. */
  let lastGeometry: { key: string; value: ReturnType<typeof diagramGeometry> } | null = null
  const geometry = computed(() => {
    if (problem.value) return null
    const key = network.value.layers.join(',')
    if (lastGeometry?.key !== key) lastGeometry = { key, value: diagramGeometry(network.value.layers) }
    return lastGeometry.value
  })

  /**
   * Where the numbers come from: initial (idle), the selected epoch's row, or live. The same row
   * (shownParameters gives it once per run and epoch) keeps the same object, so a tick while
   * training does not repaint what shows it (the neuron maps).
   */
  const shown = computed<Shown | null>((old) => {
    void shownVersion.value
    const p = shownParameters(run.value, training.selectedEpoch, experimentStore.initial)
    if (!p) return null
    if (p.from === 'initial') {
      return {
        weights: p.weights,
        biases: network.value.bias === 'none' ? null : p.biases,
        row: null,
        caption: 'initial weights (click a weight to edit it)',
      }
    }
    const r = p.run
    if (p.from === 'row')
      return old?.row === p.row ? old : { weights: p.weights, biases: p.biases, row: p.row, caption: `epoch ${p.epoch + 1} (η = ${r.learningRate})` }
    const { table, layout } = r
    const hasBias = layout.at.bias[1] >= 0
    const last = table.rowCount ? table.row(table.rowCount - 1) : null
    const caption = r.epochs
      ? `after epoch ${r.epochs} (η = ${r.learningRate})${last ? `; neurons as in epoch ${table.rowCount}` : ''}`
      : `η = ${r.learningRate}, not started`
    return { weights: p.weights, biases: hasBias ? p.biases : null, row: last, caption }
  })

  const weightScale = computed(() => (shown.value ? maxAbs(shown.value.weights) : 0))
  const weight = (w: number): number => shown.value?.weights[w] ?? NaN
  const bias = (b: number): number => shown.value?.biases?.[b] ?? NaN

  /** A neuron's net input and activation in the shown row. */
  function neuronValues(layer: number, j: number): { net: number; out: number } | null {
    const r = run.value
    const row = shown.value?.row
    if (!r || !row) return null
    const s = Math.min(sample.value, r.layout.sampleCount - 1)
    const c = r.layout.at.neuron[layer][s] + 2 * j
    return { net: row[c], out: row[c + 1] }
  }
  function inputValue(i: number): number {
    const s = Math.min(sample.value, (run.value?.config.samples.length ?? experimentStore.experiment.samples.length) - 1)
    const samples = run.value?.config.samples ?? experimentStore.experiment.samples
    return samples[s]?.inputs[i] ?? NaN
  }
  function errorValue(k: number): number {
    const r = run.value
    const row = shown.value?.row
    if (!r || !row) return NaN
    const K = r.layout.shape.layers[r.layout.shape.depth]
    return row[r.layout.at.error + Math.min(sample.value, r.layout.sampleCount - 1) * K + k]
  }
  /** A neuron's title: its net input and activation; while walking, one the walk has not reached (pending) says so instead. */
  function neuronTitle(layer: number, j: number, id: string, marks: readonly (Mark | undefined)[] = []): string {
    const v = neuronValues(layer, j)
    if (!v) return `${id} (net input) and out_${id} (activation)`
    const net = marks[0] === 'pending' ? `${id}: not computed yet` : `${id} = ${v.net}`
    const out = marks[1] === 'pending' ? `out_${id}: not computed yet` : `out_${id} = ${v.out}`
    return `${net}\n${out}`
  }
  const eTot = computed(() => {
    const r = run.value
    const row = shown.value?.row
    return r && row ? row[r.layout.lossColumn] : NaN
  })

  return {
    training,
    experimentStore,
    shownVersion,
    run,
    editable,
    network,
    sample,
    problem,
    geometry,
    shown,
    weightScale,
    weight,
    bias,
    neuronValues,
    inputValue,
    errorValue,
    neuronTitle,
    eTot,
  }
}
