import { ELEMENTWISE, ACTIVATION_CODE, softmax, type Elementwise } from '../math/activations'
import { FEATURE_DEFINITIONS, type Feature } from '../data/features'
import { shapeOf, type Shape } from './shape'
import type { NetworkSpec, Sample } from './types'

/**
 * The decision boundary: the network's forward pass over a grid of the 2-D input plane, every
 * neuron's activation at every cell (the output's is the heatmap, each hidden neuron's is its
 * thumbnail in the diagram, as in TensorFlow Playground). Pure and allocation-free per call: the
 * grid's input-layer values (features applied) are computed once, and the result buffer is reused,
 * so a redraw per frame costs only the arithmetic (bench/boundary.bench.ts).
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
  private readonly inputs: Float64Array
  private readonly activations: (Elementwise | null)[]
  private readonly hasBias: boolean
  /** One cell's net inputs and activations of every non-input neuron. */
  private readonly net: Float64Array
  private readonly out: Float64Array
  private readonly w: Float64Array
  private readonly b: Float64Array

  constructor(network: NetworkSpec, plane: Plane, size: number, features: FeatureMap = rawInputs) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`grid size must be a positive integer, got ${size}`)
    this.shape = shapeOf(network.layers)
    this.size = size
    this.cells = size * size
    this.hasBias = network.bias !== 'none'
    this.activations = [null, ...network.activations.map((a) => ELEMENTWISE[ACTIVATION_CODE[a]])]
    const n0 = network.layers[0]
    this.inputs = new Float64Array(this.cells * n0)
    const point = new Float64Array(n0)
    const dx = (plane.xMax - plane.xMin) / size
    const dy = (plane.yMax - plane.yMin) / size
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        features(plane.xMin + (c + 0.5) * dx, plane.yMax - (r + 0.5) * dy, point)
        this.inputs.set(point, (r * size + c) * n0)
      }
    }
    this.values = new Float32Array(this.shape.neuronCount * this.cells)
    this.net = new Float64Array(this.shape.neuronCount)
    this.out = new Float64Array(this.shape.neuronCount)
    this.w = new Float64Array(this.shape.weightCount)
    this.b = new Float64Array(this.hasBias ? this.shape.neuronCount : 0)
  }

  /** Fills `values` for these parameters (flat, in wN and bN order, as RunConfig and the batch events hold them). */
  evaluate(weights: ArrayLike<number>, biases: ArrayLike<number>): Float32Array {
    const { depth, layers, weightOffset, neuronOffset } = this.shape
    const { inputs, net, out, values, cells, hasBias, w, b } = this
    // Copied into our own typed arrays: the loop then reads one kind of array, whatever it was given.
    w.set(weights)
    if (hasBias) b.set(biases)
    const n0 = layers[0]
    for (let cell = 0; cell < cells; cell++) {
      for (let l = 1; l <= depth; l++) {
        const fanIn = layers[l - 1]
        const prev = l === 1 ? inputs : out
        const prevBase = l === 1 ? cell * n0 : neuronOffset[l - 1]
        const f = this.activations[l]
        const first = neuronOffset[l]
        for (let j = 0; j < layers[l]; j++) {
          const wRow = weightOffset[l] + j * fanIn
          // The engine's order of operations (Σ w·a, then + b), so a cell equals Network.run's value exactly.
          let z = 0
          for (let i = 0; i < fanIn; i++) z += w[wRow + i] * prev[prevBase + i]
          if (hasBias) z += b[first + j]
          net[first + j] = z
          out[first + j] = f ? f.value(z) : z
        }
        if (!f) softmax(net, out, first, layers[l])
      }
      for (let n = 0; n < out.length; n++) values[n * cells + cell] = out[n]
    }
    return values
  }

  /** The cells of non-input neuron `n` (bias order), a view into `values`. */
  neuron(n: number): Float32Array {
    return this.values.subarray(n * this.cells, (n + 1) * this.cells)
  }
}
