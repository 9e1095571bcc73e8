import { describe, expect, it } from 'vitest'
import { BoundaryGrid, featureMap, planeOf, rawInputs, toPixel, type FeatureMap } from '../../../src/shared/engine/boundary'
import { FEATURES, featureValues } from '../../../src/shared/data/features'
import { Network } from '../../../src/shared/engine/network'
import { drawParameters } from '../../../src/shared/engine'
import type { NetworkSpec, Sample } from '../../../src/shared/engine/types'

/** The grid's cell centres as samples, in cell order, through `features`. */
function cellSamples(grid: BoundaryGrid, plane: ReturnType<typeof planeOf>, features: FeatureMap, n0: number): Sample[] {
  const out: Sample[] = []
  const d = (plane.xMax - plane.xMin) / grid.size
  const point = new Float64Array(n0)
  for (let r = 0; r < grid.size; r++)
    for (let c = 0; c < grid.size; c++) {
      features(plane.xMin + (c + 0.5) * d, plane.yMax - (r + 0.5) * d, point)
      out.push({ inputs: [...point], targets: [0] })
    }
  return out
}

function check(network: NetworkSpec, features: FeatureMap, seed: number): void {
  const plane = { xMin: -2, xMax: 3, yMin: -1, yMax: 4 }
  const grid = new BoundaryGrid(network, plane, 12, features)
  const { weights, biases } = drawParameters(network, { seed, scheme: 'uniform', range: 1 })
  const values = grid.evaluate(weights, biases)
  // The engine's own forward pass over the same points is the reference.
  const samples = cellSamples(grid, plane, features, network.layers[0]).map((s) => ({ ...s, targets: Array(network.layers.at(-1)).fill(0) }))
  const net = new Network({ network, loss: 'mse', samples }, { compile: false })
  net.weights.set(weights)
  net.biases.set(biases)
  net.run(net.weights, net.biases, false)
  const N = net.shape.neuronCount
  for (let cell = 0; cell < grid.cells; cell++)
    for (let n = 0; n < N; n++) expect(values[n * grid.cells + cell]).toBe(Math.fround(net.out[cell * N + n]))
}

describe('the decision boundary grid', () => {
  it('every cell holds what the engine computes for that point, for every neuron (2-8-8-1 tanh)', () => {
    check({ layers: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' }, (x, y, into) => ((into[0] = x), (into[1] = y)), 1)
  })

  it('applies the feature map to each cell (x1, x2, x1·x2, sin x1 into a 4-3-2 softmax net without biases)', () => {
    const features: FeatureMap = (x, y, into) => {
      into[0] = x
      into[1] = y
      into[2] = x * y
      into[3] = Math.sin(x)
    }
    check({ layers: [4, 3, 2], activations: ['relu', 'softmax'], bias: 'none' }, features, 7)
  })

  it('featureMap gives the data module’s feature values, in the chosen order; no features is the raw inputs', () => {
    const chosen = [...FEATURES].reverse()
    const into = new Float64Array(chosen.length)
    for (const [x1, x2] of [
      [0.5, -2],
      [-3.25, 1.5],
    ]) {
      featureMap(chosen)(x1, x2, into)
      expect([...into]).toEqual(featureValues(chosen, [x1, x2]))
    }
    expect(featureMap(undefined)).toBe(rawInputs)
    check({ layers: [3, 4, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' }, featureMap(['x1^2', 'x2^2', 'sin(x1)']), 11)
  })

  it('row 0 is the top of the plane (largest x2), column 0 its left: a net whose output is x2 then x1', () => {
    const network: NetworkSpec = { layers: [2, 1], activations: ['linear'], bias: 'none' }
    const grid = new BoundaryGrid(network, { xMin: 0, xMax: 4, yMin: 0, yMax: 4 }, 4)
    expect([...grid.evaluate([0, 1], [])]).toEqual([3.5, 3.5, 3.5, 3.5, 2.5, 2.5, 2.5, 2.5, 1.5, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5, 0.5])
    expect([...grid.evaluate([1, 0], [])].slice(0, 4)).toEqual([0.5, 1.5, 2.5, 3.5])
    // Each evaluate overwrites the same buffer: no allocation per redraw.
    expect(grid.evaluate([1, 0], [])).toBe(grid.values)
    expect([...grid.neuron(0)]).toEqual([...grid.values])
  })

  it('refuses a grid size that is not a positive integer', () => {
    const network: NetworkSpec = { layers: [2, 1], activations: ['linear'], bias: 'none' }
    for (const size of [0, -1, 2.5, NaN]) expect(() => new BoundaryGrid(network, planeOf([]), size)).toThrow(/positive integer/)
  })
})

describe('the plane drawn for a set of points', () => {
  const s = (x: number, y: number): Sample => ({ inputs: [x, y], targets: [0] })

  it('is a square around every point with a 10 % margin each side, centred on them', () => {
    const plane = planeOf([s(-1, 0), s(3, 1), s(0, 2)])
    expect(plane).toEqual({ xMin: 1 - 2.4, xMax: 1 + 2.4, yMin: 1 - 2.4, yMax: 1 + 2.4 })
    expect(toPixel(plane, 100, plane.xMin, plane.yMax)).toEqual({ px: 0, py: 0 })
    expect(toPixel(plane, 100, plane.xMax, plane.yMin)).toEqual({ px: 100, py: 100 })
  })

  it('has a size for one point, and is [−1, 1]² for none or only non-finite points', () => {
    const one = planeOf([s(2, 2)])
    expect(one.xMax - one.xMin).toBeGreaterThan(0)
    expect(one.xMin < 2 && one.xMax > 2).toBe(true)
    expect(planeOf([])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 })
    expect(planeOf([s(NaN, 1), s(Infinity, 0)])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 })
  })
})
