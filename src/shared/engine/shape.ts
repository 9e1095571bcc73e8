import type { NetworkSpec } from './types'

/** Offsets of every layer's weights, biases and neurons in the engine's flat arrays. */
export interface Shape {
  layers: number[]
  /** Number of weight layers (layers.length − 1). */
  depth: number
  weightCount: number
  /** Neurons outside the input layer: the count of biases when there are biases. */
  neuronCount: number
  /** weightOffset[l] for weight layer l = 1..depth (index 0 unused). */
  weightOffset: number[]
  /** neuronOffset[l]: first neuron of layer l among the non-input neurons (index 0 unused). */
  neuronOffset: number[]
}

export function shapeOf(layers: readonly number[]): Shape {
  const weightOffset = [0]
  const neuronOffset = [0]
  let w = 0
  let n = 0
  for (let l = 1; l < layers.length; l++) {
    weightOffset.push(w)
    neuronOffset.push(n)
    w += layers[l] * layers[l - 1]
    n += layers[l]
  }
  return { layers: [...layers], depth: layers.length - 1, weightCount: w, neuronCount: n, weightOffset, neuronOffset }
}

export function weightCount(layers: readonly number[]): number {
  return shapeOf(layers).weightCount
}

export function biasCount(network: NetworkSpec): number {
  return network.bias === 'none' ? 0 : shapeOf(network.layers).neuronCount
}

/** Which layer, destination and source neuron (all 1-based) weight index `w` (0-based) connects. */
export function weightEnds(shape: Shape, w: number): { layer: number; to: number; from: number } {
  let l = shape.depth
  while (shape.weightOffset[l] > w) l--
  const k = w - shape.weightOffset[l]
  const fanIn = shape.layers[l - 1]
  return { layer: l, to: Math.floor(k / fanIn) + 1, from: (k % fanIn) + 1 }
}

/** Which layer and neuron (1-based) bias index `b` (0-based) belongs to. */
export function biasOwner(shape: Shape, b: number): { layer: number; neuron: number } {
  let l = shape.depth
  while (shape.neuronOffset[l] > b) l--
  return { layer: l, neuron: b - shape.neuronOffset[l] + 1 }
}
