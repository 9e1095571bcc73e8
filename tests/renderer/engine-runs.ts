import { markRaw } from 'vue'
import { Trainer } from '../../src/shared/engine/trainer'
import type { RunConfig } from '../../src/shared/engine/types'
import { defaultExperiment, runConfigs, type Experiment } from '../../src/shared/experiment'
import type { RunView } from '../../src/renderer/src/stores/training'

/** A finished run as the training store holds it, trained by the real engine in this thread. */
export function engineRun(config: RunConfig, epochs = config.epochs): RunView {
  const t = new Trainer({ ...config, epochs })
  t.step()
  return markRaw({
    learningRate: config.learningRate,
    config,
    layout: t.layout!,
    table: t.table!,
    losses: t.losses,
    stopReason: t.stopReason,
    epochs: t.epoch,
    weights: Float64Array.from(t.weights),
    biases: Float64Array.from(t.biases),
    epochsPerSecond: 0,
    paused: false,
  })
}

/** The sheet's experiment at the given learning rates, one finished run each. */
export function sheetRuns(rates: number[] = [0.5], edit?: (exp: Experiment) => void): RunView[] {
  const exp = defaultExperiment()
  exp.training.learningRates = rates
  edit?.(exp)
  return runConfigs(exp).map((c) => engineRun(c))
}
