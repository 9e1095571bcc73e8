import { activate, derivative, softmax } from './activations'
import { shapeOf, type Shape } from './shape'
import type { Activation, Loss, RunConfig, Sample } from './types'

/**
 * The forward and backward pass of a fully connected network over all samples of an epoch.
 * All state lives in preallocated flat Float64Arrays, so an epoch allocates nothing.
 * After `run()`, the per-sample buffers hold what the epoch table records.
 */
export class Network {
  readonly shape: Shape
  readonly sampleCount: number
  readonly outputs: number
  /** net[s·N + n] and out[s·N + n]: net input and activation of non-input neuron n for sample s. */
  readonly net: Float64Array
  readonly out: Float64Array
  /** err[s·K + k]: the loss contribution of output k for sample s (E1, E2, …). */
  readonly err: Float64Array
  /** Mean over samples of ∂E/∂w and ∂E/∂b. */
  readonly gradW: Float64Array
  readonly gradB: Float64Array

  private readonly activations: Activation[]
  private readonly loss: Loss
  private readonly hasBias: boolean
  private readonly inputs: Float64Array
  private readonly targets: Float64Array
  private readonly delta: Float64Array

  constructor(config: Pick<RunConfig, 'network' | 'loss' | 'samples'>) {
    const { network, loss, samples } = config
    this.shape = shapeOf(network.layers)
    this.activations = network.activations
    this.loss = loss
    this.hasBias = network.bias !== 'none'
    this.sampleCount = samples.length
    const n = this.shape.neuronCount
    this.outputs = network.layers[network.layers.length - 1]
    this.inputs = Float64Array.from(samples.flatMap((s: Sample) => s.inputs))
    this.targets = Float64Array.from(samples.flatMap((s: Sample) => s.targets))
    this.net = new Float64Array(n * this.sampleCount)
    this.out = new Float64Array(n * this.sampleCount)
    this.err = new Float64Array(this.outputs * this.sampleCount)
    this.gradW = new Float64Array(this.shape.weightCount)
    this.gradB = new Float64Array(n)
    this.delta = new Float64Array(n)
  }

  /** Forward and backward pass for every sample; returns E_tot (mean over samples of Σ E_k). */
  run(w: Float64Array, b: Float64Array, withGradients = true): number {
    const { layers, depth, weightOffset, neuronOffset, neuronCount: N } = this.shape
    const { net, out, delta, gradW, gradB, inputs } = this
    const n0 = layers[0]
    if (withGradients) {
      gradW.fill(0)
      gradB.fill(0)
    }
    let total = 0
    for (let s = 0; s < this.sampleCount; s++) {
      const base = s * N
      // Forward: net = Σ w·a (+ b), then the activation.
      for (let l = 1; l <= depth; l++) {
        const fanIn = layers[l - 1]
        const prev = l === 1 ? inputs : out
        const prevBase = l === 1 ? s * n0 : base + neuronOffset[l - 1]
        const act = this.activations[l - 1]
        for (let j = 0; j < layers[l]; j++) {
          const wRow = weightOffset[l] + j * fanIn
          let z = 0
          for (let i = 0; i < fanIn; i++) z += w[wRow + i] * prev[prevBase + i]
          if (this.hasBias) z += b[neuronOffset[l] + j]
          net[base + neuronOffset[l] + j] = z
          out[base + neuronOffset[l] + j] = activate(act, z)
        }
        if (act === 'softmax') softmax(net, out, base + neuronOffset[l], layers[l])
      }
      total += this.lossAndOutputDelta(s)
      if (!withGradients) continue
      // Backward: δ of each layer from the next, gradients accumulated as δ·a_prev.
      for (let l = depth; l >= 1; l--) {
        const fanIn = layers[l - 1]
        const prev = l === 1 ? inputs : out
        const prevBase = l === 1 ? s * n0 : base + neuronOffset[l - 1]
        for (let j = 0; j < layers[l]; j++) {
          const d = delta[neuronOffset[l] + j]
          const wRow = weightOffset[l] + j * fanIn
          for (let i = 0; i < fanIn; i++) gradW[wRow + i] += d * prev[prevBase + i]
          gradB[neuronOffset[l] + j] += d
        }
        if (l === 1) break
        const act = this.activations[l - 2]
        for (let i = 0; i < fanIn; i++) {
          let sum = 0
          for (let j = 0; j < layers[l]; j++) sum += w[weightOffset[l] + j * fanIn + i] * delta[neuronOffset[l] + j]
          const p = base + neuronOffset[l - 1] + i
          delta[neuronOffset[l - 1] + i] = sum * derivative(act, net[p], out[p])
        }
      }
    }
    if (withGradients && this.sampleCount > 1) {
      for (let k = 0; k < gradW.length; k++) gradW[k] /= this.sampleCount
      for (let k = 0; k < gradB.length; k++) gradB[k] /= this.sampleCount
    }
    return this.sampleCount === 1 ? total : total / this.sampleCount
  }

  /** Fills err for sample s and δ = ∂E/∂net of the output layer; returns the sample's Σ E_k. */
  private lossAndOutputDelta(s: number): number {
    const { depth, neuronOffset, neuronCount: N } = this.shape
    const K = this.outputs
    const o = s * N + neuronOffset[depth]
    const d0 = neuronOffset[depth]
    const t0 = s * K
    const act = this.activations[depth - 1]
    const { net, out, err, delta, targets } = this
    let sum = 0
    switch (this.loss) {
      case 'half-sse':
      case 'mse': {
        const scale = this.loss === 'mse' ? 1 / K : 0.5
        for (let k = 0; k < K; k++) {
          const diff = targets[t0 + k] - out[o + k]
          err[t0 + k] = scale * diff * diff
          sum += err[t0 + k]
          // ∂E/∂out_k, turned into ∂E/∂net below.
          delta[d0 + k] = this.loss === 'mse' ? (2 * (out[o + k] - targets[t0 + k])) / K : out[o + k] - targets[t0 + k]
        }
        if (act === 'softmax') {
          // Softmax couples the outputs: ∂E/∂z_j = y_j·(g_j − Σ_k g_k·y_k).
          let dot = 0
          for (let k = 0; k < K; k++) dot += delta[d0 + k] * out[o + k]
          for (let k = 0; k < K; k++) delta[d0 + k] = out[o + k] * (delta[d0 + k] - dot)
        } else {
          for (let k = 0; k < K; k++) delta[d0 + k] *= derivative(act, net[o + k], out[o + k])
        }
        break
      }
      case 'bce':
        // Sigmoid output (validated): E_k written from the net input stays finite, and ∂E/∂net = out − t.
        for (let k = 0; k < K; k++) {
          const z = net[o + k]
          const t = targets[t0 + k]
          err[t0 + k] = Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)))
          sum += err[t0 + k]
          delta[d0 + k] = out[o + k] - t
        }
        break
      case 'softmax-ce': {
        // Softmax output (validated): log y_k = z_k − logΣexp(z), so no log(0).
        let max = -Infinity
        for (let k = 0; k < K; k++) max = Math.max(max, net[o + k])
        let se = 0
        for (let k = 0; k < K; k++) se += Math.exp(net[o + k] - max)
        const lse = max + Math.log(se)
        let tSum = 0
        for (let k = 0; k < K; k++) {
          const t = targets[t0 + k]
          tSum += t
          err[t0 + k] = t === 0 ? 0 : -t * (net[o + k] - lse)
          sum += err[t0 + k]
        }
        for (let k = 0; k < K; k++) delta[d0 + k] = out[o + k] * tSum - targets[t0 + k]
        break
      }
    }
    return sum
  }
}
