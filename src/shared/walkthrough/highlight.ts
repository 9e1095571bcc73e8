import { neuronName } from '../engine/columns'
import type { Shape } from '../engine/shape'
import type { WalkStep } from './steps'

/**
 * What the window shows of the walk-through's current step (issue 17, part 1): which neurons and
 * edges of the diagram are active, the path a backward step rests on, which values are computed so
 * far (the rest pending), and the epoch-table cell the step produces. Pure, so each mapping is
 * tested without a window.
 */
export type Mark = 'pending' | 'active' | 'done'

export interface DiagramMarks {
  /** Per neuron (h1, h2_3, o1): its net input's and its activation's state for the sample shown. */
  net: Record<string, Mark>
  out: Record<string, Mark>
  /** δ of each neuron computed so far (the current step's included), for the sample shown. */
  delta: Record<string, number>
  /** The loss term of each output (error edge k) and E_tot. */
  errors: Mark[]
  loss: Mark
  /** The step's own neurons (inputs included) and edges (0-based weight indexes), and error edges. */
  neurons: string[]
  edges: number[]
  errorEdges: number[]
  /** Backward: the path from the step's neuron to E that its δ or gradient rests on. */
  pathNeurons: string[]
  pathEdges: number[]
  /** Weights whose update is done (the next row's value is known). */
  updated: number[]
}

/** The sample a step belongs to (0-based; steps of one sample, or of all, are sample 0). */
export function stepSample(step: WalkStep): number {
  const m = /_s(\d+)$/.exec(step.id)
  return m ? Number(m[1]) - 1 : 0
}

/** Every edge, neuron and error edge downstream of neuron j of layer l: where its δ comes from. */
export function downstream(shape: Shape, l: number, j: number): { edges: number[]; neurons: string[]; errors: number[] } {
  const { layers, depth, weightOffset } = shape
  if (l === depth) return { edges: [], neurons: [], errors: [j] }
  const edges: number[] = []
  const neurons: string[] = []
  let from = [j]
  for (let m = l + 1; m <= depth; m++) {
    for (let k = 0; k < layers[m]; k++) {
      for (const i of from) edges.push(weightOffset[m] + k * layers[m - 1] + i)
      neurons.push(neuronName(shape, m, k))
    }
    from = Array.from({ length: layers[m] }, (_, k) => k)
  }
  return { edges: edges.sort((a, b) => a - b), neurons, errors: from }
}

/** Layer and 0-based index of a neuron id (h1, h2_3, o1), or null for anything else. */
function neuronAt(shape: Shape, id: string): { l: number; j: number } | null {
  for (let l = 1; l <= shape.depth; l++)
    for (let j = 0; j < shape.layers[l]; j++) if (neuronName(shape, l, j) === id) return { l, j }
  return null
}

/** Each walk's step ids, indexed once: the marks are asked for again at every step. */
const indexes = new WeakMap<readonly WalkStep[], Map<string, number>>()

export function diagramMarks(steps: readonly WalkStep[], index: number, shape: Shape, sampleCount: number, sample: number): DiagramMarks {
  let at = indexes.get(steps)
  if (!at) indexes.set(steps, (at = new Map(steps.map((s, i) => [s.id, i]))))
  const sfx = sampleCount > 1 ? `_s${sample + 1}` : ''
  const mark = (id: string): Mark => {
    const i = at.get(id)
    return i === undefined || i > index ? 'pending' : i === index ? 'active' : 'done'
  }
  const { layers, depth } = shape
  const net: Record<string, Mark> = {}
  const out: Record<string, Mark> = {}
  const delta: Record<string, number> = {}
  for (let l = 1; l <= depth; l++)
    for (let j = 0; j < layers[l]; j++) {
      const n = neuronName(shape, l, j)
      net[n] = mark(n + sfx)
      out[n] = mark(`out_${n}${sfx}`)
      const d = at.get(`δ_${n}${sfx}`)
      if (d !== undefined && d <= index) delta[n] = steps[d].value
    }
  const errors = Array.from({ length: layers[depth] }, (_, k) => mark(`E${k + 1}${sfx}`))
  const updated = steps.flatMap((s, i) => (s.phase === 'update' && i < index ? s.weights : []))
  const marks: DiagramMarks = { net, out, delta, errors, loss: mark('E_tot'), neurons: [], edges: [], errorEdges: [], pathNeurons: [], pathEdges: [], updated }
  const step = steps[index]
  if (!step) return marks
  marks.neurons = step.neurons
  marks.edges = step.weights
  if (step.phase === 'loss') marks.errorEdges = step.id === 'E_tot' ? errors.map((_, k) => k) : [Number(/^E(\d+)/.exec(step.id)![1]) - 1]
  if (step.phase === 'backward') {
    // A δ rests on everything between its neuron and E; a gradient on the δ of its neuron (the last one named).
    const last = step.neurons[step.neurons.length - 1]
    const owner = last === undefined ? null : neuronAt(shape, last)
    if (owner) {
      const path = downstream(shape, owner.l, owner.j)
      marks.pathEdges = path.edges
      marks.pathNeurons = path.neurons
      marks.errorEdges = path.errors
    }
  }
  return marks
}

/** The epoch-table cell a step produces: its column in the walked epoch's row, or the next row's for an update. */
export function tableCell(step: WalkStep | null, epoch: number, rowCount: number): { row: number; column: string } | null {
  if (!step?.column) return null
  const row = step.phase === 'update' ? epoch + 1 : epoch
  return row < rowCount ? { row, column: step.column } : null
}
