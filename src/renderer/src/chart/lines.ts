import { columnSeries, type LossSeries } from '@shared/engine/loss-series'
import type { ColumnLayout } from '@shared/engine/columns'
import type { EpochTable } from '@shared/engine/epoch-table'

/**
 * The lines of the loss chart: E_tot of every run (one per learning rate), and for the selected run
 * its test loss (E_test) and, for classification, its training and test accuracy (acc_train,
 * acc_test) on a second axis, each read from the run's epoch-table column of that name when the
 * run has it (its layout's testLossColumn, accTrainColumn and accTestColumn, −1 when it has not;
 * docs/columns.md). Only the selected run's: four lines per learning rate would bury the
 * comparison the chart is for.
 */
export type Quantity = 'E_tot' | 'E_test' | 'acc_train' | 'acc_test'

export interface LineStyle {
  /** Left axis (loss) or right axis (accuracy, 0 to 1). */
  axis: 'y' | 'y2'
  /** Canvas line dash; [] is solid. */
  dash: number[]
  /** How the key under the chart draws it. */
  key: string
}

export const LINE_STYLES: Record<Quantity, LineStyle> = {
  E_tot: { axis: 'y', dash: [], key: '——' },
  E_test: { axis: 'y', dash: [7, 4], key: '– –' },
  acc_train: { axis: 'y2', dash: [2, 3], key: '···' },
  acc_test: { axis: 'y2', dash: [9, 3, 2, 3], key: '–·–' },
}

export interface ChartLine {
  /** The run's index in the job (its colour). */
  run: number
  quantity: Quantity
  series: LossSeries
}

interface RunLike {
  losses: LossSeries
  table: EpochTable
  layout: ColumnLayout
}

/** E_tot of every run first (dataset i is run i's), then the selected run's other columns it has. */
export function chartLines(runs: readonly RunLike[], selected: number): ChartLine[] {
  const lines: ChartLine[] = runs.map((r, run) => ({ run, quantity: 'E_tot', series: r.losses }))
  const r = runs[selected]
  if (!r) return lines
  const extras: [Quantity, number][] = [
    ['E_test', r.layout.testLossColumn],
    ['acc_train', r.layout.accTrainColumn],
    ['acc_test', r.layout.accTestColumn],
  ]
  for (const [quantity, col] of extras) {
    // (A job recorded as E_tot only has no rows in its table: such a line stays empty.)
    if (col >= 0) lines.push({ run: selected, quantity, series: columnSeries(r.table, col) })
  }
  return lines
}
