import { describe, expect, it } from 'vitest'
import { chartLines } from '../../src/renderer/src/chart/lines'
import { columnSeries } from '../../src/shared/engine/loss-series'
import { EpochTable } from '../../src/shared/engine/epoch-table'
import type { ColumnLayout } from '../../src/shared/engine/columns'

/** A run as the chart sees it, its table holding `names` with one row per given row. */
function run(names: string[], rows: number[][]) {
  const table = new EpochTable(names)
  for (const row of rows) table.appendRow(row)
  const layout = {
    names,
    testLossColumn: names.indexOf('E_test'),
    accTrainColumn: names.indexOf('acc_train'),
    accTestColumn: names.indexOf('acc_test'),
  } as unknown as ColumnLayout
  return { table, layout, losses: columnSeries(table, names.indexOf('E_tot')) }
}

describe('the loss chart’s lines', () => {
  it('E_tot of every run first, then the selected run’s E_test, acc_train and acc_test read from its own columns', () => {
    const names = ['w1', 'E_tot', 'E_test', 'acc_train', 'acc_test', 'dE/dw1']
    const a = run(names, [
      [0.1, 0.5, 0.6, 0.5, 0.4, 0],
      [0.2, 0.3, 0.45, 0.75, 0.7, 0],
    ])
    const b = run(names, [[0.1, 0.9, 0.95, 0.25, 0.2, 0]])
    const lines = chartLines([a, b], 0)
    expect(lines.map((l) => [l.run, l.quantity])).toEqual([
      [0, 'E_tot'],
      [1, 'E_tot'],
      [0, 'E_test'],
      [0, 'acc_train'],
      [0, 'acc_test'],
    ])
    expect(Array.from(lines[2].series.toArray())).toEqual([0.6, 0.45])
    expect(Array.from(lines[4].series.toArray())).toEqual([0.4, 0.7])
    // The other run selected: its lines instead.
    expect(chartLines([a, b], 1).slice(2).map((l) => [l.run, l.series.get(0)])).toEqual([
      [1, 0.95],
      [1, 0.25],
      [1, 0.2],
    ])
  })

  it('only the columns a run has: no test set, no accuracy (regression), or no runs at all', () => {
    const noTest = run(['w1', 'E_tot', 'acc_train'], [[0.1, 0.5, 1]])
    expect(chartLines([noTest], 0).map((l) => l.quantity)).toEqual(['E_tot', 'acc_train'])
    expect(chartLines([run(['E_tot'], [[1]])], 0).map((l) => l.quantity)).toEqual(['E_tot'])
    expect(chartLines([], 0)).toEqual([])
  })
})
