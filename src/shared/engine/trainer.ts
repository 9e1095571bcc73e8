import { Batches, isMiniBatch } from './batches'
import { constantColumns, layoutOf, type ColumnLayout } from './columns'
import { EpochTable, type ChunkAllocator } from './epoch-table'
import { columnSeries, GrowingSeries, type LossSeries } from './loss-series'
import { compileRowWriter, compileUpdate, type RowWriter, type Update } from './kernel'
import { accuracy } from './metrics'
import { Network } from './network'
import { newState, OPTIMIZER_DEFS, penalty } from '../math/optimizers'
import { optimizerStep, stateColumnValue } from './optimizer-step'
import { shapeOf } from './shape'
import { assertRunConfig } from './validate'
import { NO_REGULARIZATION, type OptimizerKind, type RunConfig, type StopReason } from './types'

export interface TrainerOptions {
  /** Record every column of every epoch (default); off keeps only the E_tot series and lays out no columns. */
  record?: boolean
  /** Use the compiled kernel for small networks where allowed (default); false forces the loops. */
  compile?: boolean
  /** Memory for the table's chunks (default: new Float64Array); see src/cli/prefault.ts. */
  allocate?: ChunkAllocator
}

/** Slots of the network's `extra` array (by column kind) before the optimizer state: the measure columns. */
const EXTRA = { penalty: 0, testLoss: 1, accTrain: 2, accTest: 3, state: 4 } as const

/** Parameters and optimizer state, as an epoch's step leaves them (computed before they are kept). */
interface Step {
  w: Float64Array
  b: Float64Array
  /** Per state symbol (OPTIMIZER_DEFS[kind].state), one value per weight / per bias. */
  sw: Float64Array[]
  sb: Float64Array[]
}

const stepOf = (kind: OptimizerKind, W: number, N: number): Step => ({
  w: new Float64Array(W),
  b: new Float64Array(N),
  sw: newState(kind, W),
  sb: newState(kind, N),
})

/**
 * Gradient descent, one epoch at a time, as the sheet does it. Row k of the table holds epoch k's
 * parameters and optimizer state at its start, its forward pass over the training set, E_tot, the
 * test loss and accuracies, and the gradients of E_tot over the WHOLE training set.
 * Full batch (batchSize 0 or ≥ n): those gradients are the step's, exactly the sheet's arithmetic.
 * Mini-batches: the epoch then steps once per batch of a seeded shuffle, on that batch's mean gradient.
 * An epoch's step is computed before anything of it is kept: a NaN or ±∞ ends the run, naming it.
 */
export class Trainer {
  readonly config: RunConfig
  /** The table's columns; null when not recording (an E_tot-only job lays out no names). */
  readonly layout: ColumnLayout | null
  readonly table: EpochTable | null
  readonly losses: LossSeries
  /** The current parameters: the next epoch's starting point. */
  readonly weights: Float64Array
  readonly biases: Float64Array
  stopReason: StopReason | null = null

  /** The whole training set: each row's forward pass, E_tot and gradients. */
  private readonly net: Network
  private readonly testNet: Network | null
  private readonly batches: Batches | null
  private epochsDone = 0
  /** Optimizer steps taken: t of the formulas (batches, not epochs, with mini-batches). */
  private steps = 0
  /** The E_tot series when nothing else records it. */
  private readonly lossLog: GrowingSeries | null
  /** For each column the table stores, where its value sits in the network's state array. */
  private readonly gather: Int32Array | null
  /** The gather compiled for the table, or null (the table then loops over `gather`). */
  private readonly writeRow: RowWriter | null
  /** Plain sgd's check and step compiled, or null (see kernel.ts compileUpdate). */
  private readonly update: Update | null
  /** The optimizer state at the current parameters, and the next epoch's step being computed. */
  private state: Step
  private next: Step
  private readonly trainBiases: boolean
  private readonly accuracy: boolean
  private readonly softmax: boolean

  constructor(config: RunConfig, options: TrainerOptions = {}) {
    assertRunConfig(config)
    this.config = config
    const record = options.record !== false
    const compile = options.compile !== false
    const { network, optimizer, regularization } = config
    this.trainBiases = network.bias === 'trained'
    this.layout = record ? layoutOf(config) : null
    this.accuracy = (this.layout?.accTrainColumn ?? -1) >= 0
    this.softmax = network.activations[network.activations.length - 1] === 'softmax'
    const slots = OPTIMIZER_DEFS[optimizer.kind].state.length
    const { weightCount: W, neuronCount: N } = shapeOf(network.layers)
    const P = W + (this.trainBiases ? N : 0)
    this.net = new Network(config, { compile: options.compile, kept: this.layout?.sampleCount ?? 0, predictions: this.accuracy, extra: record ? EXTRA.state + slots * P : 0 })
    this.testNet = record && config.test.length ? new Network({ ...config, samples: config.test }, { compile: options.compile, kept: 0, predictions: this.accuracy }) : null
    this.batches = isMiniBatch(config) ? new Batches(config, this.net, options.compile) : null
    this.table = this.layout ? new EpochTable(this.layout.names, { allocate: options.allocate, constants: constantColumns(this.layout, config.samples) }) : null
    this.lossLog = this.table ? null : new GrowingSeries()
    this.losses = this.table && this.layout ? columnSeries(this.table, this.layout.lossColumn) : this.lossLog!
    this.gather = this.table && this.layout ? gatherIndex(this.layout, this.net, this.table.stored) : null
    this.writeRow = this.gather && compile ? compileRowWriter(this.gather, this.table!.chunkRows) : null
    const plainSgd = optimizer.kind === 'sgd' && regularization.kind === 'none' && !this.batches
    this.update = compile && plainSgd && this.net.kernel ? compileUpdate(trainedParameters(this.net, this.trainBiases)) : null
    this.weights = this.net.weights
    this.biases = this.net.biases
    this.weights.set(config.weights)
    if (network.bias !== 'none') this.biases.set(config.biases)
    this.state = stepOf(optimizer.kind, W, N)
    this.next = stepOf(optimizer.kind, W, N)
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
    const { weights: w, biases: b, net, table, update } = this
    let ran = 0
    while (ran < maxEpochs && !this.stopReason) {
      const k = this.epoch + 1
      // Gradients over the whole set: the step's with full batch, the row's when recording.
      const loss = net.run(w, b, !this.batches || table !== null)
      let problem = Number.isFinite(loss) ? null : `E_tot = ${loss}`
      if (!problem && update) {
        if (!update.finite(net.state, eta)) problem = this.computeStep() // names the value
      } else if (!problem) problem = this.computeStep()
      if (problem) {
        this.stopReason = { kind: 'diverged', epochs: k - 1, message: `Diverged at epoch ${k}: ${problem}. The ${k - 1} epochs before it are kept.` }
        break
      }
      if (table) {
        this.fillExtra()
        table.appendGather(net.state, this.gather!, this.writeRow)
      } else this.lossLog!.push(loss)
      this.epochsDone = k
      if (update) update.apply(net.state, eta)
      else this.commitStep()
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

  /**
   * This epoch's step into `next`, from the current parameters and state (applied by commitStep):
   * one step on the whole set's gradients, or one per mini-batch. Returns the first non-finite
   * value it meets, named, or null.
   */
  private computeStep(): string | null {
    const { config, net, next, trainBiases } = this
    const { optimizer, regularization, learningRate: eta } = config
    next.w.set(this.weights)
    next.b.set(this.biases)
    this.state.sw.forEach((s, i) => next.sw[i].set(s))
    this.state.sb.forEach((s, i) => next.sb[i].set(s))
    const batches = this.batches
    if (!batches) {
      // A non-finite gradient makes its parameter's step non-finite (η > 0, every hyper-parameter
      // in range), so the steps' checks find it; an untrained bias has no step, its gradient is
      // checked itself. Only a divergence is named, a gradient first, as the sheet would see it.
      const weightsFinite = optimizerStep(optimizer, next.w, net.gradW, next.sw, this.steps + 1, eta, regularization)
      const biasesFinite = trainBiases ? optimizerStep(optimizer, next.b, net.gradB, next.sb, this.steps + 1, eta, NO_REGULARIZATION) : allFinite(net.gradB)
      return weightsFinite && biasesFinite ? null : (gradientProblem(net) ?? parameterProblem(next, ''))
    }
    batches.shuffle()
    for (let j = 0; j < batches.count; j++) {
      const bn = batches.load(j, next.w, next.b)
      bn.run(bn.weights, bn.biases)
      const t = this.steps + j + 1
      const weightsFinite = optimizerStep(optimizer, next.w, bn.gradW, next.sw, t, eta, regularization)
      const biasesFinite = !trainBiases || optimizerStep(optimizer, next.b, bn.gradB, next.sb, t, eta, NO_REGULARIZATION)
      if (!(weightsFinite && biasesFinite)) return parameterProblem(next, ` after batch ${j + 1} of ${batches.count}`)
    }
    return null
  }

  /** The computed step becomes the current parameters and state. */
  private commitStep(): void {
    const { next } = this
    this.weights.set(next.w)
    if (this.trainBiases) this.biases.set(next.b)
    this.next = this.state
    this.state = next
    this.steps += this.batches ? this.batches.count : 1
  }

  /** The row's numbers the network does not compute: penalty, test loss, accuracies, optimizer state. */
  private fillExtra(): void {
    const { net, testNet, layout, config, state } = this
    const x = net.extra
    const K = net.outputs
    if (layout!.penaltyColumn >= 0) x[EXTRA.penalty] = penalty(config.regularization, this.weights)
    if (testNet) {
      // Its own copy of the parameters, so its compiled forward pass runs (bit for bit the loops').
      testNet.weights.set(this.weights)
      testNet.biases.set(this.biases)
      x[EXTRA.testLoss] = testNet.run(testNet.weights, testNet.biases, false)
    }
    if (this.accuracy) {
      x[EXTRA.accTrain] = accuracy(net.predictions, net.targets, K, net.sampleCount, this.softmax)
      if (testNet) x[EXTRA.accTest] = accuracy(testNet.predictions, testNet.targets, K, testNet.sampleCount, this.softmax)
    }
    const W = this.weights.length
    const P = W + (this.trainBiases ? this.biases.length : 0)
    const { kind } = config.optimizer
    const eta = config.learningRate
    state.sw.forEach((s, slot) => {
      const at = EXTRA.state + slot * P
      for (let i = 0; i < W; i++) x[at + i] = stateColumnValue(kind, s[i], eta)
      if (this.trainBiases) for (let i = 0; i < this.biases.length; i++) x[at + W + i] = stateColumnValue(kind, state.sb[slot][i], eta)
    })
  }
}

/** The first non-finite gradient of the whole set, named, or null. */
function gradientProblem(net: Network): string | null {
  const { gradW, gradB } = net
  for (let i = 0; i < gradW.length; i++) if (!Number.isFinite(gradW[i])) return `∂E/∂w${i + 1} = ${gradW[i]}`
  for (let i = 0; i < gradB.length; i++) if (!Number.isFinite(gradB[i])) return `∂E/∂b${i + 1} = ${gradB[i]}`
  return null
}

/** Whether every value is finite. */
function allFinite(xs: Float64Array): boolean {
  let check = 0 // x − x is 0 for a finite x and NaN for ±Infinity or NaN
  for (let i = 0; i < xs.length; i++) check += xs[i] - xs[i]
  return check === 0
}

/** The first parameter a step made non-finite, named (a step reported one). */
function parameterProblem(next: Step, where: string): string {
  const w = next.w.findIndex((x) => !Number.isFinite(x))
  if (w >= 0) return `w${w + 1} would become ${next.w[w]}${where}`
  const b = next.b.findIndex((x) => !Number.isFinite(x))
  return `b${b + 1} would become ${next.b[b]}${where}`
}

/** [parameter, gradient] positions in the state array of every parameter the step changes. */
function trainedParameters(net: Network, trainBiases: boolean): [number, number][] {
  const { at } = net
  const weights = Array.from(net.weights, (_, i): [number, number] => [at.weights + i, at.gradW + i])
  const biases = Array.from(net.biases, (_, i): [number, number] => [at.biases + i, at.gradB + i])
  return trainBiases ? [...weights, ...biases] : weights
}

/** Index into the network's state array for every stored column of the layout. */
function gatherIndex(layout: ColumnLayout, net: Network, stored: Int32Array): Int32Array {
  const { at } = net
  const K = net.outputs
  const I = layout.shape.layers[0]
  const N = layout.shape.neuronCount
  return Int32Array.from(stored, (col) => {
    const c = layout.columns[col]
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
      case 'penalty':
      case 'testLoss':
      case 'accTrain':
      case 'accTest':
        return at.extra + EXTRA[c.kind]
      case 'gradW':
        return at.gradW + c.index
      case 'gradB':
        return at.gradB + c.index
      case 'state':
        return at.extra + EXTRA.state + c.index
    }
  })
}

export interface RunResult {
  config: RunConfig
  /** null when not recorded (see TrainerOptions.record). */
  layout: ColumnLayout | null
  table: EpochTable | null
  losses: Float64Array
  stopReason: StopReason
  weights: number[]
  biases: number[]
}

/** A run trained with every column recorded (the default). */
export interface RecordedRun extends RunResult {
  layout: ColumnLayout
  table: EpochTable
}

/** Trains one run to its end in the calling thread. */
export function train(config: RunConfig, options?: TrainerOptions & { record?: true }): RecordedRun
export function train(config: RunConfig, options: TrainerOptions): RunResult
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
