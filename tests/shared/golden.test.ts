import { describe, expect, it } from 'vitest'
import { train } from '../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { appColumnName, loadSheet, relativeError } from './reference'

const sheet = loadSheet()

function runAt(eta: number) {
  const exp = defaultExperiment()
  exp.training.learningRates = [eta]
  return train(runConfigs(exp)[0])
}

describe('the backpropagation sheet, reproduced', () => {
  for (const [key, eta] of [['eta_0_5', 0.5], ['eta_2', 2]] as const) {
    it(`every column of all 70 rows at η = ${eta}`, () => {
      const ref = sheet[key]
      const run = runAt(eta)
      const table = run.table!
      expect(table.rowCount).toBe(70)
      expect(ref.rows).toHaveLength(70)
      expect(table.names).toEqual(ref.columns.map(appColumnName))
      let worst = 0
      for (let r = 0; r < 70; r++)
        ref.columns.forEach((name, c) => {
          const err = relativeError(table.get(r, c), ref.rows[r][name])
          if (err > 1e-11) throw new Error(`row ${r + 1} ${name}: ${table.get(r, c)} vs ${ref.rows[r][name]}`)
          worst = Math.max(worst, err)
        })
      expect(worst).toBeLessThanOrEqual(1e-11)
    })
  }

  it('E_tot for all six learning rates of the summary', () => {
    const rates = Object.keys(sheet.summary.eTotal)
    expect(rates).toHaveLength(6)
    for (const rate of rates) {
      const expected = sheet.summary.eTotal[rate]
      const run = runAt(Number(rate))
      expect(run.losses).toHaveLength(expected.length)
      expected.forEach((e, i) => expect(relativeError(run.losses[i], e), `η=${rate} epoch ${i + 1}`).toBeLessThanOrEqual(1e-11))
    }
  })
})
