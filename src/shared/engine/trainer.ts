import { columnLayout, type ColumnLayout } from './columns'
import { EpochTable } from './epoch-table'
import { Network } from './network'
import { assertRunConfig } from './validate'
import type { RunConfig, StopReason } from './types'

/** Growable Float64Array for the E_tot series, which is kept even when full recording is off. */
export class Series {
  private data = new Float64Array(1024)
  length = 0
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = x
  }
  get(i: number): number {
    return this.data[i]
  }
  toArray(from = 0, to = this.length): Float64Array {
    return this.data.slice(from, to)
  }
}

export interface TrainerOptions {
  /** Record every column of every epoch (default); off keeps only the E_tot series. */
  record?: boolean
}

/**
 * Gradient descent, one epoch at a time, as the sheet does it: every gradient of an epoch comes
 * from that epoch's forward pass with the weights at its start; then all weights change at once.
 * Row k of the table holds epoch k's weights at its start, its forward pass and its gradients.
 */
export class Trainer {
  readonly config: RunConfig
  readonly layout: ColumnLayout
  readonly table: EpochTable | null
  readonly losses = new Series()
  readonly weights: Float64Array
  readonly biases: Float64Array
  stopReason: StopReason | null = null

  private readonly net: Network
  private readonly row: Float64Array
  private readonly velocityW: Float64Array
  private readonly velocityB: Float64Array
  private readonly nextW: Float64Array
  private readonly nextB: Float64Array

  constructor(config: RunConfig, options: TrainerOptions = {}) {
    assertRunConfig(config)
    this.config = config
    this.net = new Network(config)
    this.layout = columnLayout(config.network, config.samples.length)
    this.table = options.record === false ? null : new EpochTable(this.layout.names)
    this.row = new Float64Array(this.layout.names.length)
    this.weights = Float64Array.from(config.weights)
    this.biases = config.network.bias === 'none' ? new Float64Array(this.net.shape.neuronCount) : Float64Array.from(config.biases)
    this.velocityW = new Float64Array(this.weights.length)
    this.velocityB = new Float64Array(this.biases.length)
    this.nextW = new Float64Array(this.weights.length)
    this.nextB = new Float64Array(this.biases.length)
    this.fillConstantColumns()
  }

  /** Epochs completed (and recorded). */
  get epoch(): number {
    return this.losses.length
  }

  get done(): boolean {
    return this.stopReason !== null
  }

  /** Runs up to `maxEpochs` more epochs, or until a stop condition; returns how many ran. */
  step(maxEpochs = Infinity): number {
    const { epochs, stopBelow, learningRate: eta, momentum } = this.config
    const trainBiases = this.config.network.bias === 'trained'
    const { weights: w, biases: b, nextW, nextB, net } = this
    let ran = 0
    while (ran < maxEpochs && !this.stopReason) {
      const k = this.epoch + 1
      const loss = net.run(w, b)
      for (let i = 0; i < w.length; i++) {
        if (momentum === 0) nextW[i] = w[i] - eta * net.gradW[i]
        else nextW[i] = w[i] + (this.velocityW[i] = momentum * this.velocityW[i] - eta * net.gradW[i])
      }
      if (trainBiases)
        for (let i = 0; i < b.length; i++) {
          if (momentum === 0) nextB[i] = b[i] - eta * net.gradB[i]
          else nextB[i] = b[i] + (this.velocityB[i] = momentum * this.velocityB[i] - eta * net.gradB[i])
        }
      const bad = this.divergence(loss)
      if (bad) {
        this.stopReason = { kind: 'diverged', epochs: k - 1, message: `Diverged at epoch ${k}: ${bad}. The ${k - 1} epochs before it are kept.` }
        break
      }
      if (this.table) this.record(loss)
      this.losses.push(loss)
      w.set(nextW)
      if (trainBiases) b.set(nextB)
      ran++
      if (loss < stopBelow) this.stopReason = { kind: 'threshold', epochs: k, message: `E_tot fell below ${stopBelow} at epoch ${k}.` }
      else if (k >= epochs) this.stopReason = { kind: 'epochs', epochs: k, message: `Trained ${k} epochs.` }
    }
    return ran
  }

  /** Ends the run by the user's request. */
  stop(): void {
    if (!this.stopReason) this.stopReason = { kind: 'stopped', epochs: this.epoch, message: `Stopped by the user after ${this.epoch} epochs.` }
  }

  /** Describes the first non-finite value of this epoch, or returns null. */
  private divergence(loss: number): string | null {
    if (!Number.isFinite(loss)) return `E_tot = ${loss}`
    const { gradW, gradB } = this.net
    for (let i = 0; i < gradW.length; i++) if (!Number.isFinite(gradW[i])) return `∂E/∂w${i + 1} = ${gradW[i]}`
    for (let i = 0; i < gradB.length; i++) if (!Number.isFinite(gradB[i])) return `∂E/∂b${i + 1} = ${gradB[i]}`
    for (let i = 0; i < this.nextW.length; i++) if (!Number.isFinite(this.nextW[i])) return `w${i + 1} would become ${this.nextW[i]}`
    for (let i = 0; i < this.nextB.length; i++) if (!Number.isFinite(this.nextB[i])) return `b${i + 1} would become ${this.nextB[i]}`
    return null
  }

  private fillConstantColumns(): void {
    const { at } = this.layout
    this.config.samples.forEach((s, i) => {
      this.row.set(s.targets, at.target[i])
      this.row.set(s.inputs, at.input[i])
    })
  }

  private record(loss: number): void {
    const { row, net, weights, biases } = this
    const { at, shape, sampleCount } = this.layout
    const N = shape.neuronCount
    for (let l = 1; l <= shape.depth; l++) {
      const w0 = shape.weightOffset[l]
      row.set(weights.subarray(w0, w0 + shape.layers[l] * shape.layers[l - 1]), at.weight[l])
      const n0 = shape.neuronOffset[l]
      const size = shape.layers[l]
      if (at.bias[l] >= 0) row.set(biases.subarray(n0, n0 + size), at.bias[l])
      for (let s = 0; s < sampleCount; s++) {
        const c = at.neuron[l][s]
        for (let j = 0; j < size; j++) {
          row[c + 2 * j] = net.net[s * N + n0 + j]
          row[c + 2 * j + 1] = net.out[s * N + n0 + j]
        }
      }
    }
    row.set(net.err, at.error)
    row[this.layout.lossColumn] = loss
    row.set(net.gradW, at.gradW)
    if (at.gradB >= 0) row.set(net.gradB, at.gradB)
    this.table!.appendRow(row)
  }
}

export interface RunResult {
  config: RunConfig
  layout: ColumnLayout
  table: EpochTable | null
  losses: Float64Array
  stopReason: StopReason
  weights: number[]
  biases: number[]
}

/** Trains one run to its end in the calling thread. */
export function train(config: RunConfig, options: TrainerOptions = {}): RunResult {
  const t = new Trainer(config, options)
  t.step()
  return {
    config,
    layout: t.layout,
    table: t.table,
    losses: t.losses.toArray(),
    stopReason: t.stopReason!,
    weights: Array.from(t.weights),
    biases: config.network.bias === 'none' ? [] : Array.from(t.biases),
  }
}
