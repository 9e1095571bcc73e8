import { describe, expect, it } from 'vitest'
import { train } from '../../src/shared/engine/trainer'
import { parseExperimentText, runConfigs } from '../../src/shared/experiment'
import { PRESET_IDS, PRESETS, presetExperiment, type PresetId } from '../../src/shared/presets'

/** What each preset must show when trained to its end (its first run). */
const OUTCOME: Record<PresetId, (losses: Float64Array) => void> = {
  // The sheet: E_tot of epoch 70 as the sheet gives it (tests/fixtures hold every row).
  sheet: (losses) => expect(losses[69]).toBeCloseTo(0.04485847127, 10),
  // XOR learnt: a mean ½(t − out)² below 0.005 puts every output within 0.1 of its 0/1 target.
  'xor-tanh': (losses) => expect(losses[losses.length - 1]).toBeLessThan(0.005),
}

describe('teaching presets', () => {
  it.each(PRESET_IDS)('%s parses as a file and trains to what it teaches', (id) => {
    const fromFile = parseExperimentText(JSON.stringify(PRESETS[id].file()))
    expect(fromFile.ok, fromFile.ok ? '' : fromFile.error).toBe(true)
    const exp = presetExperiment(id)
    expect(exp.name.length).toBeGreaterThan(0)
    const configs = runConfigs(exp)
    expect(configs.length).toBeGreaterThan(0)
    const run = train(configs[0], { record: false })
    expect(run.losses.length).toBe(exp.training.epochs)
    expect([...run.losses].every(Number.isFinite)).toBe(true)
    expect(run.losses[run.losses.length - 1]).toBeLessThan(run.losses[0])
    OUTCOME[id](run.losses)
  })

  it('each has a label and a lesson, and the labels differ', () => {
    const labels = PRESET_IDS.map((id) => PRESETS[id].label)
    expect(new Set(labels).size).toBe(labels.length)
    for (const id of PRESET_IDS) expect(PRESETS[id].teaches.length).toBeGreaterThan(20)
  })
})
