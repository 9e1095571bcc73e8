import { batchCount } from './engine/batches'
import { layoutExtras, measureCount, shownSamples } from './engine/columns'
import { shapeOf } from './engine/shape'
import type { NetworkSpec, RunConfig } from './engine/types'
import { trainingOf, type Experiment } from './experiment'

/**
 * What a job will cost, estimated before any of it is done: before a file is opened with its runs
 * retrained, before Train, and before an export or the command line trains. Pure arithmetic on the
 * configuration (no layout is built, no sample copied), so it is cheap for any file the format accepts.
 * Documented in docs/desktop-shell.md ("Cost of a job").
 */
export const BUDGET = {
  /** Beyond this, opening a file shows its saved results "not yet verified" instead of retraining. */
  seconds: 2,
  /** Recorded numbers beyond this (8 bytes each) are not kept: the job records only E_tot. */
  recordBytes: 1024 ** 3,
  /** E_tot alone beyond this can never be held: the job is refused. */
  lossBytes: 1024 ** 3,
  /**
   * Columns of a recorded epoch table: 6 M names (12 layers of 512: 5.8 M) cost about 2 s and
   * 700 MB to lay out. Only recorded jobs lay out names: a wider job trains recording only E_tot,
   * and an export of it is refused, naming the width.
   */
  columns: 6_000_000,
}

/**
 * Engine speed on the machines measured here (bench/engine.bench.ts, 2 cores): about 20 M
 * parameter-sample updates a second on mid-sized nets and ~0.15 µs of fixed cost an epoch. The
 * estimate errs on the slow side for small nets, where it matters least.
 */
const UPDATES_PER_SECOND = 20e6
const SECONDS_PER_EPOCH = 0.15e-6

export interface JobShape {
  network: NetworkSpec
  /** Training samples. */
  samples: number
  epochs: number
  runs: number
  /** Test samples (default 0). */
  test?: number
  /** 0 or ≥ samples: full batch (default). */
  batchSize?: number
  /** The optimizer's state values per trained parameter (OPTIMIZER_DEFS[kind].state: 0 for sgd, 2 for adam). */
  stateSlots?: number
  /** Columns for penalty, E_test, acc_train, acc_test (default none). */
  measures?: number
}

/** The shape of the job whose runs share these fields of `config` (a job's runs differ only in the learning rate). */
export function jobShape(config: Pick<RunConfig, 'network' | 'samples' | 'test' | 'epochs' | 'batchSize' | 'regularization' | 'optimizer'>, runs: number): JobShape {
  const { network, samples, test, epochs, batchSize } = config
  const extras = layoutExtras(config)
  return { network, samples: samples.length, epochs, runs, test: test.length, batchSize, stateSlots: extras.state.length, measures: measureCount(extras) }
}

export interface Cost {
  /** Weights and biases of the network. */
  parameters: number
  /** parameters × samples × epochs × runs: the work of the job. */
  updates: number
  /** Estimated seconds of training, all runs one after the other. */
  seconds: number
  /** Columns of the epoch table (inputs and targets included). */
  columns: number
  /** Numbers a fully recorded job keeps (columns × epochs × runs, constant inputs and targets left out). */
  recordedNumbers: number
  recordBytes: number
  /** Bytes of the E_tot series of every run. */
  lossBytes: number
}

export function estimateCost(job: JobShape): Cost {
  const { network, samples, epochs, runs, test = 0, batchSize = 0, stateSlots = 0, measures = 0 } = job
  const shape = shapeOf(network.layers)
  const biases = network.bias === 'none' ? 0 : shape.neuronCount
  const trainedBiases = network.bias === 'trained' ? shape.neuronCount : 0
  const inputs = network.layers[0]
  const outputs = network.layers[network.layers.length - 1]
  const parameters = shape.weightCount + biases
  // An epoch passes over the training set once (full batch), or once for its row and once more in
  // batches; the test set gets a forward pass. Each batch adds a step over every parameter.
  const batches = batchCount(samples, batchSize)
  const passes = (batches > 1 ? 2 * samples : samples) + test
  const updates = ((parameters + shape.neuronCount) * passes + (batches > 1 ? batches * parameters : 0)) * epochs * runs
  // The table's columns, as engine/columns.ts lays them out (tests/shared/limits.test.ts compares).
  const shown = shownSamples(samples)
  const constant = shown * (inputs + outputs)
  const trained = shape.weightCount + trainedBiases
  const stored = shown * (2 * shape.neuronCount + outputs) + shape.weightCount + biases + 1 + measures + trained + stateSlots * trained
  const recordedNumbers = stored * epochs * runs
  return {
    parameters,
    updates,
    seconds: updates / UPDATES_PER_SECOND + epochs * runs * SECONDS_PER_EPOCH,
    columns: constant + stored,
    recordedNumbers,
    recordBytes: recordedNumbers * 8,
    lossBytes: epochs * runs * 8,
  }
}

/** The shape of the job an experiment's training section describes. */
export function jobOf(exp: Experiment): JobShape {
  // The samples are not copied (features change their width, not their count or targets): jobShape only reads them.
  const { network, samples, test, training } = exp
  return jobShape({ network, samples, test, ...trainingOf(exp) }, training.learningRates.length)
}

export type RecordPlan = { ok: true; record: boolean; note: string | null } | { ok: false; error: string }

const count = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toPrecision(3)} billion` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} million` : n.toLocaleString('en-US'))
export const bytesText = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toPrecision(3)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`

/**
 * Whether a job records every column (`record`), only E_tot (with a sentence saying so), or cannot
 * run at all (a sentence naming the number). `wantRecord` false: the caller needs only E_tot, and
 * no column is laid out, so a table's width never stops a job from training.
 */
export function recordPlan(cost: Cost, wantRecord = true): RecordPlan {
  if (cost.lossBytes > BUDGET.lossBytes)
    return {
      ok: false,
      error: `the job needs ${count(cost.lossBytes / 8)} E_tot values (${bytesText(cost.lossBytes)}), more than the ${bytesText(BUDGET.lossBytes)} it may use; train fewer epochs or learning rates`,
    }
  if (!wantRecord) return { ok: true, record: false, note: null }
  if (cost.columns > BUDGET.columns)
    return {
      ok: true,
      record: false,
      note: `Only E_tot is recorded: the epoch table would have ${count(cost.columns)} columns, more than the ${count(BUDGET.columns)} the app lays out.`,
    }
  if (cost.recordBytes <= BUDGET.recordBytes) return { ok: true, record: true, note: null }
  return {
    ok: true,
    record: false,
    note: `Only E_tot is recorded: every column of every epoch would be ${count(cost.recordedNumbers)} numbers (${bytesText(cost.recordBytes)}), more than ${bytesText(BUDGET.recordBytes)}.`,
  }
}

function widthProblem(cost: Cost): string | null {
  if (cost.columns <= BUDGET.columns) return null
  return `the epoch table would have ${count(cost.columns)} columns, more than the ${count(BUDGET.columns)} the app can lay out; use fewer samples or smaller layers`
}

/** Why an export of this job is refused, or null: it writes every column of every epoch. */
export function exportProblem(cost: Cost): string | null {
  const wide = widthProblem(cost)
  if (wide) return wide
  // An export trains each run once and writes from the recorded tables (shared/export/input.ts),
  // so they must fit the recording budget.
  if (cost.recordBytes <= BUDGET.recordBytes) return null
  return `the table would hold ${count(cost.recordedNumbers)} numbers (${bytesText(cost.recordBytes)}), more than the ${bytesText(BUDGET.recordBytes)} an export may hold while it writes; export fewer epochs or learning rates`
}

/** Whether retraining a job to check saved results fits the open budget. */
export const fitsOpenBudget = (cost: Cost): boolean => cost.seconds <= BUDGET.seconds && cost.lossBytes <= BUDGET.lossBytes
