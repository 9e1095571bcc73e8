import { ACTIVATION_CODE, ELEMENTWISE, softmax, type Elementwise } from '../math/activations'
import { LOSS_DEFS, logSumExp, type LayerSums, type LossDef } from '../math/losses'
import { compileKernel, compileSampleKernel, type Kernel, type KernelSpec, type SampleKernel } from './kernel'
import { shapeOf, type Shape } from './shape'
import type { RunConfig, Sample } from './types'

/**
 * The forward and backward pass of a fully connected network over all samples of an epoch.
 * All state lives in preallocated flat Float64Arrays, so an epoch allocates nothing.
 * After `run()`, the per-sample buffers hold what the epoch table records.
 */
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
  readonly at: { weights: number; biases: number; net: number; out: number; err: number; loss: number; gradW: number; gradB: number; inputs: number; targets: number }
  /** Views into `state`. weights/biases are the trainer's current parameters. */
  readonly weights: Float64Array
  readonly biases: Float64Array
  /** net[s·N + n] and out[s·N + n]: net input and activation of non-input neuron n for sample s. */
  readonly net: Float64Array
  readonly out: Float64Array
  /** err[s·K + k]: the loss contribution of output k for sample s (E1, E2, …). */
  readonly err: Float64Array
  /** Mean over samples of ∂E/∂w and ∂E/∂b. */
  readonly gradW: Float64Array
  readonly gradB: Float64Array

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
  private readonly inputs: Float64Array
  private readonly targets: Float64Array
  private readonly delta: Float64Array

  /** The straight-line version of run() for small networks, or null (see kernel.ts). */
  readonly kernel: Kernel | null
  /** run() over any run of samples as one sample's code in a loop: with gradients, then forward only (see kernel.ts); compiled on first use. */
  private readonly sampleKernels: [SampleKernel | null | undefined, SampleKernel | null | undefined] = [undefined, undefined]
  private readonly spec: KernelSpec | null

  constructor(config: Pick<RunConfig, 'network' | 'loss' | 'samples'>, options: { compile?: boolean } = {}) {
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
    const { weightCount: W, neuronCount: N, layers } = this.shape
    const sizes = { weights: W, biases: N, net: N * S, out: N * S, err: this.outputs * S, loss: 1, gradW: W, gradB: N, inputs: layers[0] * S, targets: this.outputs * S }
    let total = 0
    const at = {} as Record<keyof typeof sizes, number>
    for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[key] = total
      total += sizes[key]
    }
    this.at = at
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
    this.inputs.set(samples.flatMap((s: Sample) => s.inputs))
    this.targets.set(samples.flatMap((s: Sample) => s.targets))
    this.delta = new Float64Array(N)
    const spec = { shape: this.shape, codes: this.codes, hasBias: this.hasBias, loss, sampleCount: S, at }
    this.spec = options.compile === false ? null : spec
    this.kernel = this.spec && compileKernel(this.spec)
  }

  /**
   * Forward and backward pass for the samples `order[from..to)` (by default every sample, in order);
   * returns their mean Σ E_k (E_tot for every sample), and leaves the mean gradients over them.
   * A mini-batch is a stretch of the epoch's shuffled order: nothing is copied.
   */
  run(w: Float64Array, b: Float64Array, withGradients = true, order: Int32Array | null = null, from = 0, to = this.sampleCount): number {
    if (w === this.weights && b === this.biases && this.spec) {
      if (this.kernel && withGradients && order === null && from === 0 && to === this.sampleCount) return this.kernel(this.state)
      const which = withGradients ? 0 : 1
      if (this.sampleKernels[which] === undefined) this.sampleKernels[which] = compileSampleKernel(this.spec, withGradients)
      const kernel = this.sampleKernels[which]
      if (kernel) return kernel(this.state, order, from, to)
    }
    const count = to - from
    const { depth, neuronCount: N } = this.shape
    const { net, out, delta, gradW, gradB, inputs, sizes, weightAt, neuronAt, hasBias } = this
    const n0 = sizes[0]
    if (withGradients) {
      // Plain loops: for a handful of values they beat the fill() builtin's call cost.
      for (let k = 0; k < gradW.length; k++) gradW[k] = 0
      for (let k = 0; k < gradB.length; k++) gradB[k] = 0
    }
    let total = 0
    for (let q = from; q < to; q++) {
      const s = order === null ? q : order[q]
      const base = s * N
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
    if (withGradients && count > 1) {
      for (let k = 0; k < gradW.length; k++) gradW[k] /= count
      for (let k = 0; k < gradB.length; k++) gradB[k] /= count
    }
    const loss = count === 1 ? total : total / count
    this.state[this.at.loss] = loss
    return loss
  }

  /** Fills err for sample s and δ = ∂E/∂net of the output layer; returns the sample's Σ E_k. */
  private lossAndOutputDelta(s: number): number {
    const { depth, neuronOffset, neuronCount: N } = this.shape
    const K = this.outputs
    const o = s * N + neuronOffset[depth]
    const d0 = neuronOffset[depth]
    const t0 = s * K
    const { net, out, err, delta, targets, loss, sums } = this
    if (loss.needs.logSumExp) sums.logSumExp = logSumExp(net, o, K)
    if (loss.needs.targetSum) {
      sums.targetSum = 0
      for (let k = 0; k < K; k++) sums.targetSum += targets[t0 + k]
    }
    let sum = 0
    for (let k = 0; k < K; k++) {
      err[t0 + k] = loss.term(targets[t0 + k], out[o + k], net[o + k], sums)
      sum += err[t0 + k]
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
