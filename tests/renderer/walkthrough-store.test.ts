// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { optimizerOf } from '../../src/shared/engine/types'
import { defaultExperiment } from '../../src/shared/experiment'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { useTrainingStore, type RunView } from '../../src/renderer/src/stores/training'
import { useWalkStore } from '../../src/renderer/src/stores/walkthrough'
import { engineRun, sheetRuns } from './engine-runs'
import { advanceUntil, useSimulatedTraining } from './in-process-host'

/** The walk-through's store: what the drawer, the diagram and the table read (real runs of the engine). */
/** The stores with these runs, the walk-through opened. */
function walking(runs: RunView[]) {
  const training = useTrainingStore()
  const walk = useWalkStore()
  training.runs = runs
  training.version++
  walk.start()
  return { training, walk }
}

describe('the walk-through store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('opens at the first epoch when none is selected, follows the step to its table cell and parameter', async () => {
    const { training, walk } = walking(sheetRuns())
    expect(training.selectedEpoch).toBe(0)
    expect(walk.steps.map((s) => s.id).slice(0, 3)).toEqual(['h1', 'out_h1', 'h2'])
    expect(walk.cell).toEqual({ row: 0, column: 'h1' })
    walk.go(walk.steps.findIndex((s) => s.id === '∂E/∂w6'))
    await nextTick()
    expect(walk.cell).toEqual({ row: 0, column: '∂E/∂w6' })
    expect(training.selectedParam).toEqual({ kind: 'w', index: 5 })
    // An update gives the next row's weight, and selects it too.
    walk.go(walk.steps.length - 1)
    await nextTick()
    expect(walk.cell).toEqual({ row: 1, column: 'w8' })
    expect(training.selectedParam).toEqual({ kind: 'w', index: 7 })
    // Past the ends: the first and the last step.
    walk.go(-5)
    expect(walk.index).toBe(0)
    walk.go(1e6)
    expect(walk.index).toBe(walk.steps.length - 1)
  })

  it('another epoch starts over; a question marks the steps behind it; the last epoch’s update has no cell', async () => {
    const { training, walk } = walking(sheetRuns())
    walk.ask(walk.steps.findIndex((s) => s.id === '∂E/∂w5'))
    expect(walk.asked!.map((i) => walk.steps[i].id)).toEqual(['h1', 'out_h1', 'h2', 'out_h2', 'o1', 'out_o1', 'δ_o1', '∂E/∂w5'])
    training.selectEpoch(69)
    await nextTick()
    expect([walk.index, walk.asked]).toEqual([0, null])
    walk.go(walk.steps.length - 1)
    expect(walk.cell).toBeNull()
    walk.close()
    expect(walk.steps).toEqual([])
  })

  it('a network past the limit is refused without building a step; several samples: the step’s sample', async () => {
    const big = sheetRuns()[0].config
    const { training, walk } = walking([engineRun({ ...big, network: { layers: [2, 120, 90, 2], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'none' }, weights: Array(240 + 10800 + 180).fill(0.01), epochs: 1 })])
    expect(walk.problem).toMatch(/^This network trains 11,220 parameters/)
    expect(walk.steps).toEqual([])
    // A job too large to record keeps only E_tot: nothing to walk, and the drawer says why.
    training.runs = sheetRuns()
    training.recorded = false
    training.version++
    expect(walk.problem).toMatch(/^Only E_tot is recorded for this job\. The walk-through needs every column/)
    training.recorded = true
    const two = sheetRuns()[0].config
    training.runs = [engineRun({ ...two, samples: [two.samples[0], { inputs: [0.3, 0.2], targets: [0.5, 0.5] }], optimizer: optimizerOf('momentum', { momentum: 0.5 }), epochs: 3 })]
    training.version++
    await nextTick()
    walk.go(walk.steps.findIndex((s) => s.id === 'h1_s2'))
    expect(walk.sample).toBe(1)
    expect(walk.cell).toEqual({ row: 0, column: 'h1_s2' })
  })
})

describe('the walk-through store on a job the real engine trains (in-process workers, simulated time)', () => {
  useSimulatedTraining()

  it('walking the last epoch there is, the next row’s arrival gives the (mini-batch) update its numbers', async () => {
    // Mini-batches: an update's value is the next row's (optimizer-update.ts).
    const exp = defaultExperiment()
    exp.samples = [exp.samples[0], { inputs: [0.3, 0.2], targets: [0.5, 0.5] }]
    exp.training.batchSize = 1
    useExperimentStore().replace(exp)
    const training = useTrainingStore()
    const walk = useWalkStore()
    training.step(1)
    await advanceUntil(() => training.runs[0]?.table.rowCount === 1)
    walk.start()
    const update = (): NonNullable<typeof walk.current> => walk.steps.find((s) => s.id === 'w8′')!
    expect(update().value).toBeNaN()
    expect(update().numbers).toBe("w8: the epoch's batches have not been trained yet")
    // One more epoch: its row is the update's result.
    training.step(1)
    await advanceUntil(() => training.runs[0].table.rowCount === 2)
    await nextTick()
    const run = training.runs[0]
    const w8 = run.table.get(1, run.layout.names.indexOf('w8'))
    expect(Number.isFinite(w8)).toBe(true)
    expect(update().value).toBe(w8)
    expect(update().numbers).toMatch(/^w8 ← /)
  })
})
