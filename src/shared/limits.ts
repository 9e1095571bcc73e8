/**
 * The one table of limits. The file format (experiment.ts, document/), the engine's validator
 * (engine/validate.ts) and the IPC contract (ipc.ts) all read these, so a file the format accepts
 * is one the app can train, and a request the window can build is one the main process accepts.
 * Documented in docs/experiment-format.md.
 */
export const LIMITS = {
  /** Layers, input and output included. */
  maxLayers: 12,
  /** Neurons in one layer. */
  maxNeurons: 512,
  maxSamples: 10_000,
  /** Training samples whose per-sample columns the epoch table shows; beyond, the first one's (docs/columns.md). */
  tableSamples: 10,
  /** Points a generator draws (data.count), before the train/test split: Playground's range, and cheap to draw. */
  minDataCount: 10,
  maxDataCount: 2_000,
  /** data.noise, in percent (Playground's 0–50). */
  maxNoise: 50,
  /** data.testFraction: at least a tenth of the points stay for training. */
  maxTestFraction: 0.9,
  /** Columns of an imported CSV file: inputs and targets are at most maxNeurons each. */
  maxCsvColumns: 1_024,
  /** Epochs of one run. */
  maxEpochs: 100_000_000,
  /** Seeds (init.seed, data.seed, training.shuffleSeed) are uint32: 0 to 2³² − 1. */
  maxSeed: 0xffffffff,
  /** Learning rates of one experiment: one run (and one worker job) each. */
  maxLearningRates: 64,
  /** Bytes of a document file (UTF-8), the same for save and open. */
  maxFileBytes: 128 * 1024 * 1024,
  /** Nesting of arrays and objects; the real format needs 4. */
  maxDepth: 32,
  /** A student's workbook for the spreadsheet checker (docs/check-spreadsheet.md), and what its zip may unpack to. */
  maxSpreadsheetBytes: 32 * 1024 * 1024,
  maxSpreadsheetUnpackedBytes: 256 * 1024 * 1024,
} as const

/** The most weights a network within the limits can have. */
export const MAX_WEIGHTS = (LIMITS.maxLayers - 1) * LIMITS.maxNeurons * LIMITS.maxNeurons
/** The most biases (one per non-input neuron). */
export const MAX_BIASES = (LIMITS.maxLayers - 1) * LIMITS.maxNeurons

/** Bytes of `text` in UTF-8, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Bytes(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) bytes += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // the pair is 2 chars, 4 bytes
      i++
    } else bytes += 2
  }
  return bytes
}

/**
 * Bytes of a file's text, for the maxFileBytes check (open, CSV import): its UTF-8 bytes, or its
 * length once that alone is past the limit. A string never has more characters than its UTF-8 has
 * bytes, so the length refuses most too-large texts without counting; the message then gives at
 * least the size it is.
 */
export const fileBytes = (text: string): number => (text.length > LIMITS.maxFileBytes ? text.length : utf8Bytes(text))

/** Megabytes for a message: one decimal below 10 MB. */
export function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)
}
