import { describe, expect, it } from 'vitest'
import { parseDocumentText } from '../../src/shared/document'
import { train } from '../../src/shared/engine/trainer'
import { runConfigs } from '../../src/shared/experiment'
import { PRESET_IDS, PRESETS, presetDocument, type PresetId } from '../../src/shared/presets'

/** The series a preset's first run leaves, and the columns an outcome reads at its last row. */
interface Outcome {
  losses: Float64Array
  /** Every epoch's value of a column. */
  column: (name: string) => Float64Array
  last: (name: string) => number
}

/** What each preset must show when trained to its end (its first run). */
const OUTCOME: Record<PresetId, (run: Outcome) => void> = {
  // The sheet: E_tot of epoch 70 as the sheet gives it (tests/fixtures hold every row).
  sheet: ({ losses }) => expect(losses[69]).toBeCloseTo(0.04485847127, 10),
  // XOR learnt: a mean ½(t − out)² below 0.005 puts every output within 0.1 of its 0/1 target.
  'xor-tanh': ({ losses }) => expect(losses[losses.length - 1]).toBeLessThan(0.005),
  'spiral-depth': ({ last }) => expect(last('acc_test')).toBeGreaterThanOrEqual(0.9),
  // The lesson: the training set is learnt perfectly while E_test, past its minimum early on, rises.
  overfitting: ({ column, last }) => {
    const test = column('E_test')
    const best = test.indexOf(Math.min(...test))
    expect(best).toBeLessThan(test.length / 4)
    expect(last('E_test')).toBeGreaterThan(1.5 * test[best])
    expect(last('acc_train')).toBe(1)
    expect(last('acc_test')).toBeLessThan(0.85)
  },
}

describe('teaching presets', () => {
  it.each(PRESET_IDS)('%s parses as a version-3 file and trains to what it teaches', (id) => {
    const file = PRESETS[id].file()
    expect(file.version).toBe(3)
    const fromText = parseDocumentText(JSON.stringify(file))
    expect(fromText.ok, fromText.ok ? '' : fromText.error).toBe(true)
    const doc = presetDocument(id)
    expect(doc.notes.length).toBeGreaterThan(40)
    const configs = runConfigs(doc.experiment)
    expect(configs.length).toBeGreaterThan(0)
    const run = train(configs[0])
    expect(run.losses.length).toBe(doc.experiment.training.epochs)
    expect([...run.losses].every(Number.isFinite)).toBe(true)
    expect(run.losses[run.losses.length - 1]).toBeLessThan(run.losses[0])
    const table = run.table!
    const column = (name: string): Float64Array => {
      const c = run.layout.names.indexOf(name)
      expect(c, name).toBeGreaterThanOrEqual(0)
      return table.column(c)
    }
    OUTCOME[id]({ losses: run.losses, column, last: (name) => column(name).at(-1)! })
  })

  it('each has its own label and name', () => {
    const labels = PRESET_IDS.map((id) => PRESETS[id].label)
    expect(new Set(labels).size).toBe(labels.length)
    const names = PRESET_IDS.map((id) => presetDocument(id).experiment.name)
    expect(new Set(names).size).toBe(names.length)
  })
})
