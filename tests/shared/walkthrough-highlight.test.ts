import { describe, expect, it } from 'vitest'
import { train } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import type { RunConfig } from '../../src/shared/engine/types'
import { walkSteps } from '../../src/shared/walkthrough/steps'
import { diagramMarks, downstream, stepSample, tableCell } from '../../src/shared/walkthrough/highlight'

function walk(config: RunConfig) {
  const run = train({ ...config, epochs: 2 }, { record: true })
  const steps = walkSteps({ config, layout: run.layout, row: run.table!.row(0) })
  const at = (id: string): number => steps.findIndex((s) => s.id === id)
  return { steps, at, shape: run.layout.shape, samples: run.layout.sampleCount }
}
const sheet = (): RunConfig => runConfigs(defaultExperiment())[0]

describe('what the window highlights at each step of the walk-through', () => {
  const { steps, at, shape, samples } = walk(sheet())
  const marks = (id: string) => diagramMarks(steps, at(id), shape, samples, 0)

  it('forward: the neuron and its incoming edges; what is computed so far is done, the rest pending', () => {
    const h2 = marks('h2')
    expect(h2.neurons).toEqual(['i1', 'i2', 'h2'])
    expect(h2.edges).toEqual([2, 3])
    expect(h2.pathEdges).toEqual([])
    expect(h2.net).toEqual({ h1: 'done', h2: 'active', o1: 'pending', o2: 'pending' })
    expect(h2.out).toEqual({ h1: 'done', h2: 'pending', o1: 'pending', o2: 'pending' })
    expect(h2.errors).toEqual(['pending', 'pending'])
    expect(h2.loss).toBe('pending')
    const out = marks('out_o1')
    expect(out).toMatchObject({ neurons: ['o1'], edges: [] })
    expect(out.out.o1).toBe('active')
    expect(out.net.o2).toBe('pending')
  })

  it('loss: the output and its error edge, then every error edge for E_tot', () => {
    expect(marks('E2')).toMatchObject({ neurons: ['o2'], errorEdges: [1], errors: ['done', 'active'], loss: 'pending' })
    expect(marks('E_tot')).toMatchObject({ errorEdges: [0, 1], errors: ['done', 'done'], loss: 'active' })
  })

  it('backward: a δ’s neuron and the path to E; a gradient’s edge and the path its δ rests on', () => {
    const dh1 = marks('δ_h1')
    expect(dh1.neurons).toEqual(['h1'])
    // h1 feeds o1 through w5 and o2 through w7.
    expect(dh1.pathEdges).toEqual([4, 6])
    expect(dh1.pathNeurons).toEqual(['o1', 'o2'])
    expect(dh1.errorEdges).toEqual([0, 1])
    expect(Object.keys(dh1.delta)).toEqual(['h1', 'o1', 'o2'])
    expect(dh1.delta.h1).toBe(steps[at('δ_h1')].value)
    const g5 = marks('∂E/∂w5')
    expect(g5).toMatchObject({ neurons: ['h1', 'o1'], edges: [4], pathEdges: [], errorEdges: [0] })
    expect(Object.keys(g5.delta)).toEqual(['o1'])
    const g1 = marks('∂E/∂w1')
    expect(g1).toMatchObject({ neurons: ['i1', 'h1'], edges: [0], pathEdges: [4, 6], pathNeurons: ['o1', 'o2'] })
    // Every forward value is known by then.
    expect(Object.values(g1.out)).toEqual(['done', 'done', 'done', 'done'])
  })

  it('update: the edge, and the weights updated before it', () => {
    const w3 = marks('w3′')
    expect(w3).toMatchObject({ edges: [2], neurons: [], updated: [0, 1] })
  })

  it('the table cell: the step’s column in the walked row; an update’s in the next row; none for a δ or past the table', () => {
    expect(tableCell(steps[at('out_h1')], 4, 10)).toEqual({ row: 4, column: 'out_h1' })
    expect(tableCell(steps[at('∂E/∂w5')], 4, 10)).toEqual({ row: 4, column: '∂E/∂w5' })
    expect(tableCell(steps[at('w5′')], 4, 10)).toEqual({ row: 5, column: 'w5' })
    expect(tableCell(steps[at('w5′')], 9, 10)).toBeNull()
    expect(tableCell(steps[at('δ_o1')], 4, 10)).toBeNull()
    expect(tableCell(null, 0, 1)).toBeNull()
  })

  it('deeper nets, trained biases and several samples: paths through every later layer, the shown sample’s marks', () => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 3, 2, 2], activations: ['tanh', 'relu', 'sigmoid'], bias: 'trained' } }
    config.weights = Array.from({ length: 6 + 6 + 4 }, (_, i) => ((i % 7) - 3) / 10)
    config.biases = Array(7).fill(0.1)
    config.samples = [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }, { inputs: [0.3, -0.2], targets: [0.5, 0.2] }]
    const deep = walk(config)
    // h1_2 → (h2_1, h2_2) by w8, w11, then all of w13…w16 to o1, o2.
    expect(downstream(deep.shape, 1, 1)).toEqual({ edges: [7, 10, 12, 13, 14, 15], neurons: ['h2_1', 'h2_2', 'o1', 'o2'], errors: [0, 1] })
    const g = diagramMarks(deep.steps, deep.at('∂E/∂b2'), deep.shape, deep.samples, 0)
    expect(g).toMatchObject({ neurons: ['h1_2'], edges: [], pathEdges: [7, 10, 12, 13, 14, 15] })
    expect(diagramMarks(deep.steps, deep.at('b2′'), deep.shape, deep.samples, 0).neurons).toEqual(['h1_2'])
    // While sample 2's forward pass runs, sample 1's neurons are all done and sample 2's are not.
    const i = deep.at('h2_1_s2')
    expect(stepSample(deep.steps[i])).toBe(1)
    expect(diagramMarks(deep.steps, i, deep.shape, deep.samples, 0).out.o2).toBe('done')
    const s2 = diagramMarks(deep.steps, i, deep.shape, deep.samples, 1)
    expect(s2.net).toMatchObject({ h1_1: 'done', h2_1: 'active', h2_2: 'pending', o1: 'pending' })
  })
})
