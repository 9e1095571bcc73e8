import { computed, watch, type ComputedRef, type Ref } from 'vue'
import { diagramMarks, type Mark } from '@shared/walkthrough/highlight'
import type { RunView } from '../stores/training'
import { useWalkStore } from '../stores/walkthrough'

/** How a neuron, an edge or an error edge takes part in the current step: its own, on its path, or neither. */
export type Role = 'active' | 'path' | 'updated' | ''

/**
 * The network diagram's view of the walk-through's current step (see src/shared/walkthrough/highlight.ts):
 * which neurons and edges to highlight, which values are computed so far and which are still
 * pending. While the walk-through is open the diagram shows the sample the step computes.
 */
export function useWalkMarks(run: ComputedRef<RunView | null>, sample: Ref<number>) {
  const walk = useWalkStore()
  watch(
    () => walk.open && walk.sample,
    (s) => {
      if (s !== false && run.value && s < run.value.layout.sampleCount) sample.value = s
    }
  )
  const marks = computed(() => {
    const r = run.value
    if (!walk.open || !walk.current || !r) return null
    return diagramMarks(walk.steps, walk.index, r.layout.shape, r.layout.sampleCount, Math.min(sample.value, r.layout.sampleCount - 1))
  })
  /**
   * Each edge's, neuron's and error edge's role in the step, found once per step: the diagram asks
   * for every one on each render, and the updated weights grow to all of them. A role set later
   * wins (active over path over updated).
   */
  const roles = computed(() => {
    const m = marks.value
    const edges = new Map<number, Role>()
    const neurons = new Map<string, Role>()
    const errors = new Map<number, Role>()
    if (!m) return { edges, neurons, errors }
    for (const w of m.updated) edges.set(w, 'updated')
    for (const w of m.pathEdges) edges.set(w, 'path')
    for (const w of m.edges) edges.set(w, 'active')
    for (const id of m.pathNeurons) neurons.set(id, 'path')
    for (const id of m.neurons) neurons.set(id, 'active')
    for (const k of m.errorEdges) errors.set(k, 'active')
    return { edges, neurons, errors }
  })
  const edgeRole = (w: number): Role => roles.value.edges.get(w) ?? ''
  const neuronRole = (id: string): Role => roles.value.neurons.get(id) ?? ''
  /** A neuron's net input's and activation's state, or null when not walking. */
  const neuronMarks = (id: string): [Mark, Mark] | null => (marks.value ? [marks.value.net[id], marks.value.out[id]] : null)
  const errorRole = (k: number): Role => roles.value.errors.get(k) ?? ''
  /** A value the walk-through has not reached yet is left blank (pending); otherwise as given. */
  const unlessPending = (mark: Mark | undefined, text: string): string => (mark === 'pending' ? '' : text)
  /** What the readout says while walking: the current step with its numbers. */
  const stepLine = computed(() => (marks.value && walk.current ? walk.current.numbers : ''))
  return { marks, edgeRole, neuronRole, neuronMarks, errorRole, unlessPending, stepLine }
}
