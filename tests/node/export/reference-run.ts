import { columnLayout, type Column, type ColumnKind, type ColumnLayout } from '../../../src/shared/engine/columns'
import { EpochTable } from '../../../src/shared/engine/epoch-table'
import { Network } from '../../../src/shared/engine/network'
import { NO_REGULARIZATION, type RunConfig } from '../../../src/shared/engine/types'
import { newState, optimizerStep, penalty, stateColumnNames } from '../../../src/shared/math/optimizers'
import type { TrainedRun } from '../../../src/shared/export/input'

/**
 * A full-batch run with the issue-15 columns of contract §3 (penalty and E_test after E_tot, the
 * optimizer's state last; per-sample columns for the first training sample only beyond 10), trained here from the network's gradients and the optimizer registry, independently
 * of the engine's trainer: what the workbook's live formulas are compared with.
 */
export function referenceRun(config: RunConfig): TrainedRun {
  const base = columnLayout(config.network, config.samples.length > 10 ? 1 : config.samples.length)
  const trainedBiases = config.network.bias === 'trained'
  const params = [...config.weights.map((_, i) => `w${i + 1}`), ...(trainedBiases ? config.biases.map((_, i) => `b${i + 1}`) : [])]
  const extra = (name: string): Column => ({ name, kind: 'state' as unknown as ColumnKind, layer: 0, index: 0, sample: -1 })
  const columns = [...base.columns]
  const regularized = config.regularization.kind !== 'none'
  const added = [...(regularized ? ['penalty'] : []), ...(config.test.length ? ['E_test'] : [])]
  columns.splice(base.lossColumn + 1, 0, ...added.map(extra))
  columns.push(...stateColumnNames(config.optimizer.kind, params).map(extra))
  const shift = added.length
  const layout: ColumnLayout = {
    ...base,
    columns,
    names: columns.map((c) => c.name),
    at: { ...base.at, gradW: base.at.gradW + shift, gradB: base.at.gradB < 0 ? -1 : base.at.gradB + shift },
  }

  const net = new Network(config)
  const testNet = config.test.length ? new Network({ ...config, samples: config.test }) : null
  const w = Float64Array.from(config.weights)
  const b = config.network.bias === 'none' ? new Float64Array(net.shape.neuronCount) : Float64Array.from(config.biases)
  const stateW = newState(config.optimizer.kind, w.length)
  const stateB = newState(config.optimizer.kind, b.length)
  const table = new EpochTable(layout.names)
  const { layers } = base.shape
  const K = layers[layers.length - 1]
  const N = base.shape.neuronCount
  const row = new Float64Array(columns.length)
  for (let e = 0; e < config.epochs; e++) {
    const loss = net.run(w, b)
    const stateAt = new Map(params.flatMap((p, i) => stateColumnNames(config.optimizer.kind, [p]).map((n, j) => [n, (i < w.length ? stateW : stateB)[j][i < w.length ? i : i - w.length]] as const)))
    columns.forEach((c, col) => {
      const s = Math.max(c.sample, 0)
      const values: Record<string, () => number> = {
        target: () => config.samples[s].targets[c.index],
        input: () => config.samples[s].inputs[c.index],
        weight: () => w[c.index],
        bias: () => b[c.index],
        net: () => net.net[s * N + c.index],
        out: () => net.out[s * N + c.index],
        error: () => net.err[s * K + c.index],
        loss: () => loss,
        gradW: () => net.gradW[c.index],
        gradB: () => net.gradB[c.index],
        state: () => (c.name === 'penalty' ? penalty(config.regularization, w) : c.name === 'E_test' ? testNet!.run(w, b, false) : stateAt.get(c.name)!),
      }
      row[col] = values[c.kind]()
    })
    table.appendRow(row)
    optimizerStep(config.optimizer, w, net.gradW, stateW, e + 1, config.learningRate, config.regularization)
    if (trainedBiases) optimizerStep(config.optimizer, b, net.gradB, stateB, e + 1, config.learningRate, NO_REGULARIZATION)
  }
  return { config, layout, table, stopReason: { kind: 'epochs', epochs: config.epochs, message: `Trained ${config.epochs} epochs.` } }
}
