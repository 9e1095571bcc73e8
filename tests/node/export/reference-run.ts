import { layoutOf } from '../../../src/shared/engine/columns'
import { EpochTable } from '../../../src/shared/engine/epoch-table'
import { Network } from '../../../src/shared/engine/network'
import { NO_REGULARIZATION, type RunConfig } from '../../../src/shared/engine/types'
import { newState, optimizerStep, penalty } from '../../../src/shared/math/optimizers'
import type { TrainedRun } from '../../../src/shared/export/input'

/**
 * A full-batch run in the engine's layout (contract §3: penalty, E_test, the optimizer's state;
 * per-sample columns for the first training sample only beyond 10), trained here from the
 * network's gradients and the optimizer registry, independently of the engine's trainer: what the
 * workbook's live formulas and the trainer are compared with. No accuracy columns (regression targets).
 */
export function referenceRun(config: RunConfig): TrainedRun {
  const layout = layoutOf(config)
  if (layout.accTrainColumn >= 0) throw new Error('referenceRun computes no accuracy: give it targets other than 0/1')
  const net = new Network(config)
  const testNet = config.test.length ? new Network({ ...config, samples: config.test }) : null
  const trainedBiases = config.network.bias === 'trained'
  const w = Float64Array.from(config.weights)
  const b = config.network.bias === 'none' ? new Float64Array(layout.shape.neuronCount) : Float64Array.from(config.biases)
  const stateW = newState(config.optimizer.kind, w.length)
  const stateB = newState(config.optimizer.kind, b.length)
  const P = w.length + (trainedBiases ? b.length : 0)
  const table = new EpochTable(layout.names)
  const { layers } = layout.shape
  const K = layers[layers.length - 1]
  const N = layout.shape.neuronCount
  const row = new Float64Array(layout.names.length)
  for (let e = 0; e < config.epochs; e++) {
    // The test loss at the epoch's starting parameters, before the training pass fills the gradients.
    const testLoss = testNet ? testNet.run(w, b, false) : NaN
    const loss = net.run(w, b)
    layout.columns.forEach((c, col) => {
      const s = Math.max(c.sample, 0)
      const slot = Math.floor(c.index / P)
      const p = c.index % P
      const values: Record<typeof c.kind, () => number> = {
        target: () => config.samples[s].targets[c.index],
        input: () => config.samples[s].inputs[c.index],
        weight: () => w[c.index],
        bias: () => b[c.index],
        net: () => net.net[s * N + c.index],
        out: () => net.out[s * N + c.index],
        error: () => net.err[s * K + c.index],
        loss: () => loss,
        penalty: () => penalty(config.regularization, w),
        testLoss: () => testLoss,
        accTrain: () => NaN,
        accTest: () => NaN,
        gradW: () => net.gradW[c.index],
        gradB: () => net.gradB[c.index],
        state: () => (p < w.length ? stateW[slot][p] : stateB[slot][p - w.length]),
      }
      row[col] = values[c.kind]()
    })
    table.appendRow(row)
    optimizerStep(config.optimizer, w, net.gradW, stateW, e + 1, config.learningRate, config.regularization)
    if (trainedBiases) optimizerStep(config.optimizer, b, net.gradB, stateB, e + 1, config.learningRate, NO_REGULARIZATION)
  }
  return { config, layout, table, stopReason: { kind: 'epochs', epochs: config.epochs, message: `Trained ${config.epochs} epochs.` } }
}
