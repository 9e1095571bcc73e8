import { parseDocument, type ExperimentDocument } from './document'
import { defaultExperiment, EXPERIMENT_FORMAT } from './experiment'

/**
 * The teaching presets, kept here and nowhere else: each a version-3 document as a file holds it,
 * its lesson in the notes. The desktop menu (File › New from Preset), the editor's preset list
 * (the web edition's way to them) and tests/shared/presets.test.ts read this list.
 */
export const PRESET_IDS = ['sheet', 'xor-tanh', 'spiral-depth', 'overfitting'] as const
export type PresetId = (typeof PRESET_IDS)[number]

export interface Preset {
  /** The menu item's text. */
  label: string
  /** The document as a file holds it (parsed like a file when chosen). */
  file: () => Record<string, unknown>
}

const v3 = (fields: Record<string, unknown>): Record<string, unknown> => ({ format: EXPERIMENT_FORMAT, ...fields, version: 3 })

export const PRESETS: Record<PresetId, Preset> = {
  sheet: {
    label: 'The classic sheet (2-2-2 sigmoid, one sample)',
    file: () =>
      v3({
        ...defaultExperiment(),
        notes: 'The spreadsheet this app reproduces bit for bit: one sample, every number of every update by hand. Step one epoch and follow w5 in the chain rule.',
      }),
  },
  'xor-tanh': {
    label: 'XOR with 2-2-1 tanh',
    file: () =>
      v3({
        name: 'XOR with 2-2-1 tanh',
        notes:
          'Two hidden tanh neurons are enough for XOR: each draws one line across the plane and the output combines them. Try other seeds: some start where gradient descent gets stuck (E_tot stays near 0.06).',
        network: { layers: [2, 2, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' },
        loss: 'half-sse',
        samples: [
          { inputs: [0, 0], targets: [0] },
          { inputs: [0, 1], targets: [1] },
          { inputs: [1, 0], targets: [1] },
          { inputs: [1, 1], targets: [0] },
        ],
        init: { seed: 2, scheme: 'xavier' },
        training: { learningRates: [1], epochs: 1000, stopBelow: 0 },
      }),
  },
  'spiral-depth': {
    label: 'Spiral needs depth: 4-8-8-1 with sin features',
    file: () =>
      v3({
        name: 'Spiral needs depth: 4-8-8-1 with sin features',
        notes:
          'Two interleaved spirals are not separated by a line, nor by one small layer. Two hidden layers of 8 tanh neurons on x1, x2, sin(x1) and sin(x2) learn them: watch acc_test pass 0.9 and the decision boundary wind. Then remove a hidden layer, or the sin features (sin alone is not one-to-one on [−5, 5]), and train again.',
        network: { layers: [4, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' },
        loss: 'bce',
        data: { generator: 'spiral', count: 400, noise: 0, seed: 1, testFraction: 0.5 },
        features: ['x1', 'x2', 'sin(x1)', 'sin(x2)'],
        init: { seed: 1, scheme: 'xavier' },
        training: { learningRates: [0.03], epochs: 150, stopBelow: 0, batchSize: 10, shuffleSeed: 1, optimizer: { kind: 'adam' } },
      }),
  },
  overfitting: {
    label: 'Overfitting: 10 % train, 20 % noise',
    file: () =>
      v3({
        name: 'Overfitting: 10 % train, 20 % noise',
        notes:
          'Only 10 % of the points (20) are for training, and they are noisy: a big network fits them ever better (E_tot falls to 0, acc_train 1) while E_test, after a minimum near epoch 50, rises: it learns the noise, and acc_test falls. Try L2 regularization, fewer neurons, or more points.',
        network: { layers: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' },
        loss: 'half-sse',
        data: { generator: 'xor', count: 200, noise: 20, seed: 3, testFraction: 0.9 },
        init: { seed: 1, scheme: 'xavier' },
        training: { learningRates: [0.03], epochs: 600, stopBelow: 0, optimizer: { kind: 'adam' } },
      }),
  },
}

/** The preset as a document; throws if it does not parse (a test keeps every preset parsing and training). */
export function presetDocument(id: PresetId): ExperimentDocument {
  const parsed = parseDocument(PRESETS[id].file())
  if (!parsed.ok) throw new Error(`The preset "${PRESETS[id].label}" does not parse: ${parsed.error}`)
  return parsed.value
}

/** The menu command that opens a preset. */
export const presetCommand = (id: PresetId): `preset:${PresetId}` => `preset:${id}`
