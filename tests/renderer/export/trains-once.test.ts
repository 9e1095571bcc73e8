import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildCsv, buildXlsx } from '../../../src/renderer/src/export/xlsx-browser'
import { countTrainings, sheetDocument } from '../../fixtures/count-trainings'

/** The web edition's writers train each run once (see tests/node/export/trains-once.test.ts). */
const RATES = [0.5, 2]

const documentText = (): string => sheetDocument(RATES)

afterEach(() => vi.restoreAllMocks())

describe('each run is trained once', () => {
  it('by the web edition’s writers', async () => {
    let trainings = countTrainings()
    expect((await buildXlsx(documentText())).size).toBeGreaterThan(1000)
    expect(trainings()).toBe(RATES.length)
    vi.restoreAllMocks()
    trainings = countTrainings()
    expect((await buildCsv(documentText())).size).toBeGreaterThan(1000)
    expect(trainings()).toBe(RATES.length)
  })
})
