// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { defaultExperiment, initialParameters, type Experiment } from '../../src/shared/experiment'
import { generateDataset } from '../../src/shared/data/dataset'
import { useBoundarySource } from '../../src/renderer/src/boundary/use-boundary'
import DecisionBoundary from '../../src/renderer/src/components/DecisionBoundary.vue'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { useTrainingStore } from '../../src/renderer/src/stores/training'
import { advanceUntil, useSimulatedTraining } from './in-process-host'

/** What the decision boundary draws, from the real stores and the real engine on simulated time. */
useSimulatedTraining()
afterEach(() => {
  vi.unstubAllGlobals()
})

function xorExperiment(): Experiment {
  const exp = defaultExperiment()
  exp.samples = generateDataset({ generator: 'xor', count: 40, noise: 0, seed: 2, testFraction: 0 }, 1).samples
  exp.network = { layers: [2, 4, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }
  exp.loss = 'mse'
  exp.init = { seed: 5, scheme: 'xavier' }
  exp.training = { ...exp.training, epochs: 30 }
  return exp
}

const source = () => effectScope().run(() => useBoundarySource())!

describe('the decision boundary’s source', () => {
  it('says why there is no boundary: one point (the sheet), or samples that are not 2-D', () => {
    const src = source()
    expect(src.unavailable.value).toBe('The decision boundary needs at least two points.')
    const exp = defaultExperiment()
    exp.network = { layers: [3, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' }
    exp.samples = [0, 1].map((k) => ({ inputs: [k, 1, 2], targets: [0, 1] }))
    exp.init = { seed: 1, scheme: 'xavier' }
    useExperimentStore().replace(exp)
    expect(src.unavailable.value).toMatch(/2 raw inputs \(x1, x2\); these samples have 3/)
    expect(src.gridOf(10).value).toBeNull()
  })

  it('says to fix the network while it is one the engine refuses (a size being typed, an activation missing)', () => {
    const store = useExperimentStore()
    store.replace(xorExperiment())
    const src = source()
    expect(src.unavailable.value).toBeNull()
    store.experiment.network.layers[1] = NaN
    expect(src.unavailable.value).toBe('Fix the network to see its decision boundary.')
    expect(src.gridOf(10).value).toBeNull()
    store.experiment.network.layers[1] = 4
    expect(src.unavailable.value).toBeNull()
    store.experiment.network.activations.pop()
    expect(src.unavailable.value).toBe('Fix the network to see its decision boundary.')
  })

  it('draws the initial weights, then the live ones while and after training, and a selected epoch’s row', async () => {
    const exp = xorExperiment()
    useExperimentStore().replace(exp)
    const src = source()
    expect(src.unavailable.value).toBeNull()
    expect(src.params()).toEqual({ ...initialParameters(exp), caption: 'initial weights' })
    // The plane holds every point; one grid per network and plane, kept across redraws.
    const grid = src.gridOf(20)
    const g = grid.value!
    for (const s of exp.samples) expect(s.inputs[0] > src.plane.value.xMin && s.inputs[0] < src.plane.value.xMax).toBe(true)
    expect(grid.value).toBe(g)

    const training = useTrainingStore()
    training.train()
    await advanceUntil(() => training.status === 'done')
    const run = training.runs[0]
    expect(src.params()).toMatchObject({ weights: run.weights, biases: run.biases, caption: 'after epoch 30' })
    training.selectEpoch(0)
    const first = src.params()!
    expect(first.caption).toBe('epoch 1')
    expect(Array.from(first.weights)).toEqual(initialParameters(exp).weights)
    // The map changes with training: the output over the plane after 30 epochs is not the initial one.
    const before = Float32Array.from(g.evaluate(first.weights, first.biases))
    training.selectEpoch(null)
    const after = g.evaluate(src.params()!.weights, src.params()!.biases)
    expect(after.some((v, i) => v !== before[i])).toBe(true)
    // Classes: one scale from 0 to 1 for the map and the points, whatever the output's activation.
    expect(src.targetRange.value).toEqual([0, 1])
    expect(src.output.value).toBe(0)
    useExperimentStore().replace({ ...exp, network: { ...exp.network, activations: ['tanh', 'tanh'] } })
    expect(src.targetRange.value).toEqual([0, 1])
    // Regression (the plane generator): a linear output is coloured over the targets' extent (the
    // network is the shown run's while there is one).
    training.reset()
    const plane = generateDataset({ generator: 'plane', count: 30, noise: 0, seed: 1, testFraction: 0 }, 1).samples
    useExperimentStore().replace({ ...exp, samples: plane, network: { ...exp.network, activations: ['tanh', 'linear'] } })
    const targets = plane.map((s) => s.targets[0])
    expect(src.targetRange.value).toEqual([Math.min(...targets), Math.max(...targets)])
  })

  /** happy-dom lays nothing out and has no 2-D canvas: a 100-pixel box, and a context that draws nothing. */
  function stubLayout(): void {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(private readonly seen: (entries: { contentRect: { width: number; height: number } }[]) => void) {}
        observe(): void {
          this.seen([{ contentRect: { width: 100, height: 100 } }])
        }
        disconnect(): void {
          // nothing is observed beyond the one size
        }
      }
    )
    vi.stubGlobal('requestAnimationFrame', (fn: () => void) => setTimeout(fn, 0))
    const context = new Proxy({}, { get: (_t, key) => (key === 'createImageData' ? (w: number, h: number) => new ImageData(w, h) : () => {}) })
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as CanvasRenderingContext2D)
  }

  it('the view redraws with each batch while live, and once for a selected epoch’s row', async () => {
    stubLayout()
    useExperimentStore().replace({ ...xorExperiment(), training: { ...xorExperiment().training, epochs: 50_000 } })
    const wrapper = mount(DecisionBoundary)
    const redraws = (): number => Number(wrapper.find('[data-testid=boundary-canvas]').attributes('data-redraws'))
    const training = useTrainingStore()
    const rows = (): number => training.runs[0].table.rowCount
    /** Redraws while `n` more batches bring rows. */
    async function redrawsOver(n: number): Promise<number> {
      await vi.advanceTimersByTimeAsync(1)
      const start = redraws()
      for (let b = 0; b < n; b++) {
        const before = rows()
        await advanceUntil(() => rows() > before)
      }
      await vi.advanceTimersByTimeAsync(1)
      return redraws() - start
    }
    await vi.advanceTimersByTimeAsync(1)
    expect(redraws()).toBe(1)
    training.train()
    expect(await redrawsOver(3)).toBeGreaterThanOrEqual(3)
    training.selectEpoch(50)
    await vi.advanceTimersByTimeAsync(1)
    expect(wrapper.find('[data-testid=boundary-caption]').text()).toBe('epoch 51')
    expect(await redrawsOver(3)).toBe(0)
    training.selectEpoch(null)
    expect(await redrawsOver(2)).toBeGreaterThanOrEqual(2)
    training.stop()
    wrapper.unmount()
  })
  it('draws the points once for all the batches of a run, and again when the training or the test points change', async () => {
    stubLayout()
    const store = useExperimentStore()
    store.replace({ ...xorExperiment(), training: { ...xorExperiment().training, epochs: 50_000 } })
    const wrapper = mount(DecisionBoundary)
    const canvas = () => wrapper.find('[data-testid=boundary-canvas]')
    const redraws = (): number => Number(canvas().attributes('data-redraws'))
    const pointDraws = (): number => Number(canvas().attributes('data-point-draws'))
    await vi.advanceTimersByTimeAsync(1)
    expect([redraws(), pointDraws()]).toEqual([1, 1])
    const training = useTrainingStore()
    training.train()
    for (let b = 0; b < 4; b++) {
      const before = training.runs[0]?.table.rowCount ?? 0
      await advanceUntil(() => (training.runs[0]?.table.rowCount ?? 0) > before)
    }
    await vi.advanceTimersByTimeAsync(1)
    // The heatmap followed the batches; the points were not drawn again.
    expect(redraws()).toBeGreaterThanOrEqual(4)
    expect(pointDraws()).toBe(1)
    training.selectEpoch(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(pointDraws()).toBe(1)
    training.stop()
    await advanceUntil(() => training.status !== 'running')
    await vi.advanceTimersByTimeAsync(1)
    expect(pointDraws()).toBe(1)
    // New data: a training point moved, then a test point added.
    store.setSampleValue(0, 'inputs', 0, 0.25)
    await vi.advanceTimersByTimeAsync(1)
    expect(pointDraws()).toBe(2)
    store.addSample('test')
    await vi.advanceTimersByTimeAsync(1)
    expect(pointDraws()).toBe(3)
    wrapper.unmount()
  })
})
