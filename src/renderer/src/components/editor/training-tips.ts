import { OPTIMIZER_DEFAULTS, type OptimizerKind, type Regularization } from '@shared/engine/types'
import { HYPERS, OPTIMIZER_DEFS, optimizerText, REGULARIZATION_DEFS, type Hyper } from '@shared/math/optimizers'

/**
 * The training controls' tooltips: each formula as the optimizer registry states it (the same text
 * the docs, the chain-rule view and the workbook use), never spelled a second time here.
 */
const G = 'g: the batch’s mean gradient; t: the step, from 1'

export function optimizerTip(kind: OptimizerKind): string {
  return `${OPTIMIZER_DEFS[kind].label}: ${optimizerText(kind).join('; ')} (${G})`
}

export function hyperTip(kind: OptimizerKind, h: Hyper): string {
  const lines = optimizerText(kind).filter((line) => line.includes(HYPERS[h].symbol))
  return `${HYPERS[h].symbol} (PyTorch’s default ${OPTIMIZER_DEFAULTS[h]}) in ${lines.join('; ')}`
}

export function regularizationTip(kind: Regularization['kind']): string {
  const def = REGULARIZATION_DEFS[kind]
  if (kind === 'none') return 'No regularization: each weight’s gradient is the data loss’s alone'
  return `${def.label}: adds ${def.gradText('w')} to each weight’s gradient (never a bias’s); the penalty column shows ${def.penaltyText}, and E_tot stays the data loss`
}

export const BATCH_TIP =
  'Samples per update. 0 (or at least the training set): the full batch, unshuffled, as the sheet does. Otherwise the training set is shuffled each epoch (by the shuffle seed) and split into batches of this size, the last maybe smaller; one update per batch, one epoch per pass'

export const SHUFFLE_TIP =
  'Seeds the shuffle of the training set before each epoch’s batches: the same seed gives the same batches, run after run'

export const RATE_TIP = 'λ, the regularization rate (≥ 0)'
