import { columnLayout, constantColumns, type ColumnLayout } from './columns'
import { EpochTable, type ChunkAllocator } from './epoch-table'
import { columnSeries, GrowingSeries, type LossSeries } from './loss-series'
import { compileRowWriter, compileUpdate, type RowWriter, type Update } from './kernel'
import { Network } from './network'
import { assertRunConfig } from './validate'
import { sheetMomentum, type RunConfig, type StopReason } from './types'

export interface TrainerOptions {
  /** Record every column of every epoch (default); off keeps only the E_tot series. */
  record?: boolean
  /** Use the compiled kernel for small networks where allowed (default); false forces the loops. */
  compile?: boolean
  /** Memory for the table's chunks (default: new Float64Array); see src/cli/prefault.ts. */
  allocate?: ChunkAllocator
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
  readonly losses: LossSeries
  /** The current parameters: the next epoch's starting point. */
  readonly weights: Float64Array
  readonly biases: Float64Array
  stopReason: StopReason | null = null

  private readonly net: Network
  private epochsDone = 0
  /** The E_tot series when nothing else records it. */
  private readonly lossLog: GrowingSeries | null
  /** For each column the table stores, where its value sits in the network's state array. */
  private readonly gather: Int32Array
  /** The gather compiled for the table, or null (the table then loops over `gather`). */
  private readonly writeRow: RowWriter | null
  /** The check and step compiled, or null (loops): small networks without momentum. */
  private readonly update: Update | null
  private readonly velocityW: Float64Array
  private readonly velocityB: Float64Array
  /** μ of the legacy momentum step (0: plain gradient descent). */
  private readonly momentum: number

  constructor(config: RunConfig, options: TrainerOptions = {}) {
    assertRunConfig(config)
    this.config = config
    if (config.optimizer.kind !== 'sgd' && config.optimizer.kind !== 'momentum') throw new Error(`the ${config.optimizer.kind} optimizer is not trained yet`)
    this.momentum = sheetMomentum(config.optimizer)
    this.net = new Network(config, { compile: options.compile })
    this.layout = columnLayout(config.network, config.samples.length)
    const gather = gatherIndex(this.layout, this.net)
    const constants = constantColumns(this.layout, config.samples)
    this.table = options.record === false ? null : new EpochTable(this.layout.names, { allocate: options.allocate, constants })
    this.lossLog = this.table ? null : new GrowingSeries()
    this.losses = this.table ? columnSeries(this.table, this.layout.lossColumn) : this.lossLog!
    this.gather = this.table ? Int32Array.from(this.table.stored, (col) => gather[col]) : gather
    const compile = options.compile !== false
    this.writeRow = this.table && compile ? compileRowWriter(this.gather, this.table.chunkRows) : null
    this.update = compile && this.net.kernel && this.momentum === 0 ? compileUpdate(trainedParameters(this.net, config.network.bias === 'trained')) : null
    this.weights = this.net.weights
    this.biases = this.net.biases
    this.weights.set(config.weights)
    if (config.network.bias !== 'none') this.biases.set(config.biases)
    this.velocityW = new Float64Array(this.weights.length)
    this.velocityB = new Float64Array(this.biases.length)
  }

  /** Epochs completed (and recorded; a caller may drop recorded rows it has consumed). */
  get epoch(): number {
    return this.epochsDone
  }

  get done(): boolean {
    return this.stopReason !== null
  }

  /** Runs up to `maxEpochs` more epochs, or until a stop condition; returns how many ran. */
  step(maxEpochs = Infinity): number {
    const { epochs, stopBelow, learningRate: eta } = this.config
    const momentum = this.momentum
    const trainBiases = this.config.network.bias === 'trained'
    const { weights: w, biases: b, net, table, update } = this
    const { gradW, gradB, state } = net
    let ran = 0
    while (ran < maxEpochs && !this.stopReason) {
      const k = this.epoch + 1
      const loss = net.run(w, b)
      // A non-finite loss or next parameter ends the run before anything of this epoch is kept.
      if (!Number.isFinite(loss) || !(update ? update.finite(state, eta) : this.nextParametersFinite(trainBiases))) {
        this.stopReason = { kind: 'diverged', epochs: k - 1, message: `Diverged at epoch ${k}: ${this.divergence(loss)}. The ${k - 1} epochs before it are kept.` }
        break
      }
      if (table) table.appendGather(net.state, this.gather, this.writeRow)
      else this.lossLog!.push(loss)
      this.epochsDone = k
      if (update) update.apply(state, eta)
      else if (momentum === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= eta * gradW[i]
        if (trainBiases) for (let i = 0; i < b.length; i++) b[i] -= eta * gradB[i]
      } else {
        const vw = this.velocityW
        const vb = this.velocityB
        for (let i = 0; i < w.length; i++) w[i] += vw[i] = momentum * vw[i] - eta * gradW[i]
        if (trainBiases) for (let i = 0; i < b.length; i++) b[i] += vb[i] = momentum * vb[i] - eta * gradB[i]
      }
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

  /** Whether every parameter stays finite after this epoch's step (computed, not applied). */
  private nextParametersFinite(trainBiases: boolean): boolean {
    const { learningRate: eta } = this.config
    const mu = this.momentum
    const { weights: w, biases: b, velocityW: vw, velocityB: vb } = this
    const { gradW, gradB } = this.net
    let check = 0 // x − x is 0 for a finite x and NaN for ±Infinity or NaN
    for (let i = 0; i < w.length; i++) {
      const x = w[i] + (mu * vw[i] - eta * gradW[i])
      check += x - x
    }
    if (trainBiases)
      for (let i = 0; i < b.length; i++) {
        const x = b[i] + (mu * vb[i] - eta * gradB[i])
        check += x - x
      }
    return check === 0
  }

  /** Names the first non-finite value of a diverging epoch. */
  private divergence(loss: number): string {
    if (!Number.isFinite(loss)) return `E_tot = ${loss}`
    const { gradW, gradB } = this.net
    for (let i = 0; i < gradW.length; i++) if (!Number.isFinite(gradW[i])) return `∂E/∂w${i + 1} = ${gradW[i]}`
    for (let i = 0; i < gradB.length; i++) if (!Number.isFinite(gradB[i])) return `∂E/∂b${i + 1} = ${gradB[i]}`
    const { learningRate: eta } = this.config
    const mu = this.momentum
    for (let i = 0; i < this.weights.length; i++) {
      const x = this.weights[i] + (mu * this.velocityW[i] - eta * gradW[i])
      if (!Number.isFinite(x)) return `w${i + 1} would become ${x}`
    }
    for (let i = 0; i < this.biases.length; i++) {
      const x = this.biases[i] + (mu * this.velocityB[i] - eta * gradB[i])
      if (!Number.isFinite(x)) return `b${i + 1} would become ${x}`
    }
    return 'a value is not finite'
  }
}

/** [parameter, gradient] positions in the state array of every parameter the step changes. */
function trainedParameters(net: Network, trainBiases: boolean): [number, number][] {
  const { at } = net
  const weights = Array.from(net.weights, (_, i): [number, number] => [at.weights + i, at.gradW + i])
  const biases = Array.from(net.biases, (_, i): [number, number] => [at.biases + i, at.gradB + i])
  return trainBiases ? [...weights, ...biases] : weights
}

/** Index into the network's state array for every column of the layout. */
function gatherIndex(layout: ColumnLayout, net: Network): Int32Array {
  const { at } = net
  const K = net.outputs
  const I = layout.shape.layers[0]
  const N = layout.shape.neuronCount
  return Int32Array.from(layout.columns, (c) => {
    const s = Math.max(c.sample, 0)
    switch (c.kind) {
      case 'target':
        return at.targets + s * K + c.index
      case 'input':
        return at.inputs + s * I + c.index
      case 'weight':
        return at.weights + c.index
      case 'bias':
        return at.biases + c.index
      case 'net':
        return at.net + s * N + c.index
      case 'out':
        return at.out + s * N + c.index
      case 'error':
        return at.err + s * K + c.index
      case 'loss':
        return at.loss
      case 'gradW':
        return at.gradW + c.index
      case 'gradB':
        return at.gradB + c.index
    }
  })
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
