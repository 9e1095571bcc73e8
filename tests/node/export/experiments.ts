import { optimizerOf } from '../../../src/shared/engine/types'
import { documentFromRuns, serializeDocument } from '../../../src/shared/document'
import { defaultExperiment, type Experiment } from '../../../src/shared/experiment'
import { fixture } from '../../fixtures/read'

/**
 * The experiments the export is checked with, as the text the exporter receives: a document as
 * Save writes it (the current format version, no results — the exporter recomputes the runs anyway).
 */
const text = (e: Experiment): string => serializeDocument(documentFromRuns(e, []))

/** A real saved document: 3-4-4-2 tanh/sigmoid, trained biases, two samples, two rates, momentum, stop threshold. */
export const v2SeededTanh = (): string => fixture('v2-seeded-tanh.bplab')

export const sheetExperiment = (): string => text(defaultExperiment())

export const sixRates = (): string => {
  const e = defaultExperiment()
  e.training.learningRates = [0.1, 0.2, 0.5, 0.8, 1, 2]
  return text(e)
}

export const tanh3442 = (): string =>
  text({
    ...defaultExperiment(),
    name: '3-4-4-2 tanh, trained biases, two samples',
    network: { layers: [3, 4, 4, 2], activations: ['tanh', 'tanh', 'tanh'], bias: 'trained' },
    samples: [
      { inputs: [0.5, -0.2, 0.1], targets: [0.3, -0.6] },
      { inputs: [-0.4, 0.9, 0.3], targets: [-0.2, 0.5] },
    ],
    init: { seed: 7, scheme: 'xavier' },
    training: { ...defaultExperiment().training, learningRates: [0.3], epochs: 60, stopBelow: 0 },
  })

export const softmaxReluMomentum = (): string =>
  text({
    ...defaultExperiment(),
    name: 'relu, softmax cross-entropy, fixed biases, momentum',
    network: { layers: [2, 3, 3], activations: ['relu', 'softmax'], bias: 'fixed' },
    loss: 'softmax-ce',
    samples: [
      { inputs: [0.2, 0.9], targets: [1, 0, 0] },
      { inputs: [0.8, 0.1], targets: [0, 1, 0] },
      { inputs: [0.5, 0.5], targets: [0, 0, 1] },
    ],
    init: { weights: [0.3, 0.5, 0.6, -0.2, 0.4, 0.7, 0.1, -0.3, 0.5, 0.2, 0.8, -0.6, 0.4, 0.3, -0.1], biases: [0.1, 0.05, -0.05, 0.02, 0, -0.02] },
    training: { ...defaultExperiment().training, learningRates: [0.4], epochs: 50, stopBelow: 0, optimizer: optimizerOf('momentum', { momentum: 0.9 }) },
  })

export const bceLeaky = (): string =>
  text({
    ...defaultExperiment(),
    name: 'leaky relu, binary cross-entropy, trained biases',
    network: { layers: [2, 3, 1], activations: ['leaky-relu', 'sigmoid'], bias: 'trained' },
    loss: 'bce',
    samples: [
      { inputs: [0, 1], targets: [1] },
      { inputs: [1, 1], targets: [0] },
    ],
    init: { seed: 3, scheme: 'he' },
    training: { ...defaultExperiment().training, learningRates: [0.5], epochs: 40, stopBelow: 0 },
  })

export const mseSoftmaxLinear = (): string =>
  text({
    ...defaultExperiment(),
    name: 'linear hidden layer, softmax output, mse, momentum',
    network: { layers: [2, 2, 2], activations: ['linear', 'softmax'], bias: 'none' },
    loss: 'mse',
    init: { weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] },
    training: { ...defaultExperiment().training, learningRates: [0.7], epochs: 40, stopBelow: 0, optimizer: optimizerOf('momentum', { momentum: 0.5 }) },
  })

export const softplusMse = (): string =>
  text({
    ...defaultExperiment(),
    name: 'softplus hidden layer, mse, trained biases, two samples',
    network: { layers: [2, 3, 2], activations: ['softplus', 'sigmoid'], bias: 'trained' },
    loss: 'mse',
    samples: [
      { inputs: [0.05, 0.1], targets: [0.01, 0.99] },
      { inputs: [-2, 3], targets: [0.7, 0.2] },
    ],
    init: { seed: 11, scheme: 'xavier' },
    training: { ...defaultExperiment().training, learningRates: [0.5], epochs: 40, stopBelow: 0 },
  })
