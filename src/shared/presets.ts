import { defaultExperiment, parseExperiment, type Experiment } from './experiment'

/**
 * The teaching presets: each an experiment as a file holds it, kept here and nowhere else. The
 * desktop menu (File › New from Preset), the web edition's preset list and the tests read this list.
 */
export const PRESET_IDS = ['sheet', 'xor-tanh'] as const
export type PresetId = (typeof PRESET_IDS)[number]

export interface Preset {
  /** The menu item's text. */
  label: string
  /** What it shows a learner, for the tooltip and the document's notes. */
  teaches: string
  /** The experiment, as its file holds it (parsed and checked like a file when chosen). */
  file: () => unknown
}

export const PRESETS: Record<PresetId, Preset> = {
  sheet: {
    label: 'The classic sheet (2-2-2 sigmoid, one sample)',
    teaches: 'Every number of one update by hand: the spreadsheet this app reproduces bit for bit.',
    file: () => defaultExperiment(),
  },
  'xor-tanh': {
    label: 'XOR with 2-2-1 tanh',
    teaches:
      'Two hidden tanh neurons are enough for XOR: each draws one line across the plane and the output combines them. Try other seeds: some start where gradient descent gets stuck (E_tot stays near 0.06).',
    file: () => ({
      format: 'backprop-lab.experiment',
      version: 1,
      name: 'XOR with 2-2-1 tanh',
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
}

/** The preset's experiment; throws if it does not parse (a test keeps every preset parsing). */
export function presetExperiment(id: PresetId): Experiment {
  const parsed = parseExperiment(PRESETS[id].file())
  if (!parsed.ok) throw new Error(`The preset "${PRESETS[id].label}" does not parse: ${parsed.error}`)
  return parsed.value
}

/** The menu command that opens a preset. */
export const presetCommand = (id: PresetId): `preset:${PresetId}` => `preset:${id}`
