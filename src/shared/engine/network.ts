import { ACTIVATION_CODE, ELEMENTWISE, softmax, type Elementwise } from '../math/activations'
import { LOSS_DEFS, logSumExp, type LayerSums, type LossDef } from '../math/losses'
import { compileKernel, type Kernel, type KernelSpec } from './kernel'
import { shapeOf, type Shape } from './shape'
import type { RunConfig, Sample } from './types'

/**
 * The forward and backward pass of a fully connected network over all samples of an epoch.
 * All state lives in preallocated flat Float64Arrays, so an epoch allocates nothing.
 * After `run()`, the per-sample buffers of the first `kept` samples hold what the epoch table
 * records; later samples share one scratch slot, so 10,000 wide samples do not cost 10,000 copies
 * of every neuron.
 */

export interface NetworkOptions {
  /** false: never the compiled kernel. */
  compile?: boolean
  /** Samples whose net inputs, activations and loss terms stay in `state` after run() (default: all). */
  kept?: number
  /** Keep every sample's outputs in `predictions` (for accuracy). */
  predictions?: boolean
  /** Slots at the end of `state` for the trainer's own numbers (metrics, optimizer state). */
  extra?: number
}
export class Network {
  readonly shape: Shape
  readonly sampleCount: number
  readonly outputs: number
  /**
   * Every number an epoch produces, in one array so the trainer can record a row with one gather:
   * weights, biases, net inputs, activations, loss terms, gradients, inputs, targets (see `at`).
   */
  readonly state: Float64Array
  /** Where each family starts in `state`. */
  readonly at: NetworkAt
  /** Views into `state`. weights/biases are the trainer's current parameters. */
  readonly weights: Float64Array
  readonly biases: Float64Array
  /** net[s·N + n] and out[s·N + n]: net input and activation of non-input neuron n for sample s (its slot). */
  readonly net: Float64Array
  readonly out: Float64Array
  /** err[s·K + k]: the loss contribution of output k for sample s (E1, E2, …). */
  readonly err: Float64Array
  /** Mean over samples of ∂E/∂w and ∂E/∂b. */
  readonly gradW: Float64Array
  readonly gradB: Float64Array
  /** predictions[s·K + k]: output k of sample s, every sample (empty unless asked for). */
  readonly predictions: Float64Array
  /** The trainer's slots (NetworkOptions.extra). */
  readonly extra: Float64Array
  /** Every sample's inputs and targets, sample-major. */
  readonly inputs: Float64Array
  readonly targets: Float64Array
  /** Samples with their own slot in net/out/err; later samples use slot `kept`. */
  readonly kept: number

  /** Per layer (index 0 unused): activation code, size, first weight, first neuron — as Int32Arrays for the hot loop. */
  private readonly codes: Int32Array
  /** Per layer (index 0 unused): its activation neuron by neuron, or null for softmax (applied to the layer). */
  private readonly activations: (Elementwise | null)[]
  private readonly sizes: Int32Array
  private readonly weightAt: Int32Array
  private readonly neuronAt: Int32Array
  private readonly loss: LossDef
  /** The output layer's sums a loss term may need, per sample (see lossAndOutputDelta). */
  private readonly sums: LayerSums
  private readonly hasBias: boolean
  private readonly delta: Float64Array

  /** The straight-line version of run() for small networks, or null (see kernel.ts). */
  readonly kernel: Kernel | null
  /** run() without gradients compiled (E_tot alone), on first use; null where the loops run. */
  private forward: Kernel | null | undefined
  private readonly spec: KernelSpec | null

  constructor(config: Pick<RunConfig, 'network' | 'loss' | 'samples'>, options: NetworkOptions = {}) {
    const { network, loss, samples } = config
    this.shape = shapeOf(network.layers)
    this.codes = Int32Array.from([-1, ...network.activations.map((a) => ACTIVATION_CODE[a])])
    this.sizes = Int32Array.from(network.layers)
    this.weightAt = Int32Array.from(this.shape.weightOffset)
    this.neuronAt = Int32Array.from(this.shape.neuronOffset)
    this.activations = Array.from(this.codes, (code) => ELEMENTWISE[code] ?? null)
    this.loss = LOSS_DEFS[loss]
    this.hasBias = network.bias !== 'none'
    this.sampleCount = samples.length
    this.outputs = network.layers[network.layers.length - 1]
    this.sums = { K: this.outputs, logSumExp: 0, targetSum: 0 }
    const S = this.sampleCount
    this.kept = Math.min(S, options.kept ?? S)
    const slots = this.kept < S ? this.kept + 1 : S
    const K = this.outputs
    const { weightCount: W, neuronCount: N, layers } = this.shape
    const sizes = {
      weights: W,
      biases: N,
      net: N * slots,
      out: N * slots,
      err: K * slots,
      loss: 1,
      gradW: W,
      gradB: N,
      inputs: layers[0] * S,
      targets: K * S,
      predictions: options.predictions ? K * S : 0,
      extra: options.extra ?? 0,
    }
    let total = 0
    const at = {} as Record<keyof typeof sizes, number>
    for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[key] = total
      total += sizes[key]
    }
    this.at = at as NetworkAt
    this.state = new Float64Array(total)
    const view = (key: keyof typeof sizes): Float64Array => this.state.subarray(at[key], at[key] + sizes[key])
    this.weights = view('weights')
    this.biases = view('biases')
    this.net = view('net')
    this.out = view('out')
    this.err = view('err')
    this.gradW = view('gradW')
    this.gradB = view('gradB')
    this.inputs = view('inputs')
    this.targets = view('targets')
    this.predictions = view('predictions')
    this.extra = view('extra')
    // Sample by sample: a flatMap of 10,000 × 512 values would build a 5 M-element array first.
    samples.forEach((s: Sample, i) => {
      this.inputs.set(s.inputs, i * layers[0])
      this.targets.set(s.targets, i * K)
    })
    this.delta = new Float64Array(N)
    const spec = { shape: this.shape, codes: this.codes, hasBias: this.hasBias, loss, sampleCount: S, kept: this.kept, predictions: options.predictions ?? false, at: this.at }
    this.spec = options.compile === false ? null : spec
    this.kernel = this.spec && compileKernel(this.spec)
  }

  /**
   * Makes this network's samples those of `from` at positions order[start], order[start + 1], …
   * (one mini-batch of a shuffled epoch).
   */
  loadSamples(from: Network, order: Uint32Array, start: number): void {
    const I = this.sizes[0]
    const K = this.outputs
    for (let s = 0; s < this.sampleCount; s++) {
      const j = order[start + s]
      for (let i = 0; i < I; i++) this.inputs[s * I + i] = from.inputs[j * I + i]
      for (let k = 0; k < K; k++) this.targets[s * K + k] = from.targets[j * K + k]
    }
  }

  /** Forward and backward pass for every sample; returns E_tot (mean over samples of Σ E_k). */
  run(w: Float64Array, b: Float64Array, withGradients = true): number {
    if (this.kernel && withGradients && w === this.weights && b === this.biases) return this.kernel(this.state)
    if (!withGradients && this.spec && w === this.weights && b === this.biases) {
      if (this.forward === undefined) this.forward = compileKernel(this.spec, false)
      if (this.forward) return this.forward(this.state)
    }
    const { depth, neuronCount: N } = this.shape
    const { net, out, delta, gradW, gradB, inputs, sizes, weightAt, neuronAt, hasBias } = this
    const n0 = sizes[0]
    if (withGradients) {
      // Plain loops: for a handful of values they beat the fill() builtin's call cost.
      for (let k = 0; k < gradW.length; k++) gradW[k] = 0
      for (let k = 0; k < gradB.length; k++) gradB[k] = 0
    }
    let total = 0
    const kept = this.kept
    for (let s = 0; s < this.sampleCount; s++) {
      const base = (s < kept ? s : kept) * N
      // Forward: net = Σ w·a (+ b), then the activation.
      for (let l = 1; l <= depth; l++) {
        const fanIn = sizes[l - 1]
        const prev = l === 1 ? inputs : out
        const prevBase = l === 1 ? s * n0 : base + neuronAt[l - 1]
        const f = this.activations[l]
        const n = neuronAt[l]
        for (let j = 0; j < sizes[l]; j++) {
          const wRow = weightAt[l] + j * fanIn
          let z = 0
          for (let i = 0; i < fanIn; i++) z += w[wRow + i] * prev[prevBase + i]
          if (hasBias) z += b[n + j]
          net[base + n + j] = z
          out[base + n + j] = f ? f.value(z) : z
        }
        if (!f) softmax(net, out, base + n, sizes[l])
      }
      total += this.lossAndOutputDelta(s)
      if (!withGradients) continue
      // Backward: δ of each layer from the next, gradients accumulated as δ·a_prev.
      for (let l = depth; l >= 1; l--) {
        const fanIn = sizes[l - 1]
        const prev = l === 1 ? inputs : out
        const prevBase = l === 1 ? s * n0 : base + neuronAt[l - 1]
        const n = neuronAt[l]
        for (let j = 0; j < sizes[l]; j++) {
          const d = delta[n + j]
          const wRow = weightAt[l] + j * fanIn
          for (let i = 0; i < fanIn; i++) gradW[wRow + i] += d * prev[prevBase + i]
          gradB[n + j] += d
        }
        if (l === 1) break
        const df = this.activations[l - 1]!.derivative // softmax is validated to be the output layer's only
        const m = neuronAt[l - 1]
        const w0 = weightAt[l]
        const size = sizes[l]
        for (let i = 0; i < fanIn; i++) {
          let sum = 0
          for (let j = 0; j < size; j++) sum += w[w0 + j * fanIn + i] * delta[n + j]
          delta[m + i] = sum * df(net[base + m + i], out[base + m + i])
        }
      }
    }
    if (withGradients && this.sampleCount > 1) {
      for (let k = 0; k < gradW.length; k++) gradW[k] /= this.sampleCount
      for (let k = 0; k < gradB.length; k++) gradB[k] /= this.sampleCount
    }
    const loss = this.sampleCount === 1 ? total : total / this.sampleCount
    this.state[this.at.loss] = loss
    return loss
  }

  /** Fills err for sample s and δ = ∂E/∂net of the output layer; returns the sample's Σ E_k. */
  private lossAndOutputDelta(s: number): number {
    const { depth, neuronOffset, neuronCount: N } = this.shape
    const K = this.outputs
    const slot = s < this.kept ? s : this.kept
    const o = slot * N + neuronOffset[depth]
    const d0 = neuronOffset[depth]
    const t0 = s * K
    const e0 = slot * K
    const { net, out, err, delta, targets, loss, sums, predictions } = this
    if (predictions.length) for (let k = 0; k < K; k++) predictions[t0 + k] = out[o + k]
    if (loss.needs.logSumExp) sums.logSumExp = logSumExp(net, o, K)
    if (loss.needs.targetSum) {
      sums.targetSum = 0
      for (let k = 0; k < K; k++) sums.targetSum += targets[t0 + k]
    }
    let sum = 0
    for (let k = 0; k < K; k++) {
      err[e0 + k] = loss.term(targets[t0 + k], out[o + k], net[o + k], sums)
      sum += err[e0 + k]
      // ∂E/∂out_k of a 'chain' loss, turned into ∂E/∂net below; a 'direct' loss's δ as it is.
      delta[d0 + k] = loss.grad(targets[t0 + k], out[o + k], sums)
    }
    if (loss.gradient === 'direct') return sum
    const f = this.activations[depth]
    if (!f) {
      // Softmax couples the outputs: ∂E/∂z_j = y_j·(g_j − Σ_k g_k·y_k).
      let dot = 0
      for (let k = 0; k < K; k++) dot += delta[d0 + k] * out[o + k]
      for (let k = 0; k < K; k++) delta[d0 + k] = out[o + k] * (delta[d0 + k] - dot)
    } else for (let k = 0; k < K; k++) delta[d0 + k] *= f.derivative(net[o + k], out[o + k])
    return sum
  }
}

/** Where each family starts in a network's state array. */
export interface NetworkAt {
  weights: number
  biases: number
  net: number
  out: number
  err: number
  loss: number
  gradW: number
  gradB: number
  inputs: number
  targets: number
  predictions: number
  extra: number
}
