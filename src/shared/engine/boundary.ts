import { FEATURE_DEFINITIONS, type Feature } from '../data/features'
import { Network } from './network'
import { shapeOf, type Shape } from './shape'
import type { NetworkSpec, Sample } from './types'

/**
 * The decision boundary: the network's forward pass over a grid of the 2-D input plane, every
 * neuron's activation at every cell (the output's is the heatmap, each hidden neuron's is its
 * thumbnail in the diagram, as in TensorFlow Playground). The forward pass is the engine's own
 * (Network.run without gradients, the cells as its samples); the grid's input-layer values
 * (features applied) are computed once and every buffer is reused, so a redraw per frame costs
 * only the arithmetic (bench/boundary.bench.ts).
 */

/** The square of the input plane a grid covers. */
export interface Plane {
  xMin: number
  xMax: number
  yMin: number
  yMax: number
}

/** Writes the input layer's values for the point (x1, x2) into `into` (the features, or x1 and x2 themselves). */
export type FeatureMap = (x1: number, x2: number, into: Float64Array) => void

export const rawInputs: FeatureMap = (x1, x2, into) => {
  into[0] = x1
  into[1] = x2
}

/** The input layer for chosen features (their values, src/shared/data/features.ts), or the raw inputs. */
export function featureMap(features: readonly Feature[] | undefined): FeatureMap {
  if (!features) return rawInputs
  const values = features.map((f) => FEATURE_DEFINITIONS[f].value)
  return (x1, x2, into) => {
    for (let i = 0; i < values.length; i++) into[i] = values[i](x1, x2)
  }
}

/**
 * The plane to draw for 2-D points: a square around all of them with a margin (so the outermost
 * points are not on the edge), centred on their middle; [−1, 1]² when there are none.
 */
export function planeOf(points: readonly Sample[], margin = 0.1): Plane {
  let xMin = Infinity
  let xMax = -Infinity
  let yMin = Infinity
  let yMax = -Infinity
  for (const p of points) {
    const [x, y] = p.inputs
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue
    xMin = Math.min(xMin, x)
    xMax = Math.max(xMax, x)
    yMin = Math.min(yMin, y)
    yMax = Math.max(yMax, y)
  }
  if (xMin > xMax) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }
  // One point, or all on a line: still a square of some size.
  const half = Math.max(xMax - xMin, yMax - yMin, 1e-9) * (0.5 + margin)
  const cx = (xMin + xMax) / 2
  const cy = (yMin + yMax) / 2
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half }
}

/** Where a point of the plane falls on a `size`-pixel square (y grows downwards on screen). */
export function toPixel(plane: Plane, size: number, x: number, y: number): { px: number; py: number } {
  return {
    px: ((x - plane.xMin) / (plane.xMax - plane.xMin)) * size,
    py: ((plane.yMax - y) / (plane.yMax - plane.yMin)) * size,
  }
}

export class BoundaryGrid {
  readonly shape: Shape
  /** Cells per side; cell (row r, column c) is index r·size + c, row 0 at the top (largest x2). */
  readonly size: number
  readonly cells: number
  /**
   * values[n·cells + cell]: the activation of non-input neuron n (in bias order: layer by layer)
   * at the cell's centre. Overwritten by every evaluate().
   */
  readonly values: Float32Array
  /** The engine's own forward pass, over the cells as its samples (targets unused: zeros). */
  private readonly network: Network
  private readonly w: Float64Array
  private readonly b: Float64Array

  constructor(network: NetworkSpec, plane: Plane, size: number, features: FeatureMap = rawInputs) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`grid size must be a positive integer, got ${size}`)
    this.shape = shapeOf(network.layers)
    this.size = size
    this.cells = size * size
    const point = new Float64Array(network.layers[0])
    const targets = new Array<number>(network.layers[network.layers.length - 1]).fill(0)
    const dx = (plane.xMax - plane.xMin) / size
    const dy = (plane.yMax - plane.yMin) / size
    const samples: Sample[] = []
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        features(plane.xMin + (c + 0.5) * dx, plane.yMax - (r + 0.5) * dy, point)
        samples.push({ inputs: Array.from(point), targets })
      }
    }
    this.network = new Network({ network, loss: 'mse', samples }, { compile: false })
    this.values = new Float32Array(this.shape.neuronCount * this.cells)
    this.w = new Float64Array(this.shape.weightCount)
    this.b = new Float64Array(network.bias === 'none' ? 0 : this.shape.neuronCount)
  }

  /** Fills `values` for these parameters (flat, in wN and bN order, as RunConfig and the batch events hold them). */
  evaluate(weights: ArrayLike<number>, biases: ArrayLike<number>): Float32Array {
    const { w, b, values, cells } = this
    // Copies: Network.run reads typed arrays, and the caller's may be plain ones.
    w.set(weights)
    b.set(b.length ? biases : [])
    this.network.run(w, b, false)
    // The engine keeps a cell's neurons together (out[cell·N + n]); a map wants a neuron's cells together.
    const out = this.network.out
    const N = this.shape.neuronCount
    for (let n = 0; n < N; n++) {
      const base = n * cells
      for (let cell = 0, k = n; cell < cells; cell++, k += N) values[base + cell] = out[k]
    }
    return values
  }

  /** The cells of non-input neuron `n` (bias order), a view into `values`. */
  neuron(n: number): Float32Array {
    return this.values.subarray(n * this.cells, (n + 1) * this.cells)
  }
}
