import { defaultExperiment, EXPERIMENT_FORMAT, FORMAT_VERSION, type Experiment } from '../experiment'
import type { FoundTable } from './headers'
import { numberAt } from './grid'

/** The network a table describes, read off its column names: I inputs, H hidden, K outputs. */
export interface TableShape {
  inputs: number
  hidden: number
  outputs: number
}

export class TableProblem extends Error {}

function highest(columns: Map<string, number>, pattern: RegExp): number {
  let n = 0
  for (const name of columns.keys()) {
    const m = pattern.exec(name)
    if (m) n = Math.max(n, Number(m[1]))
  }
  return n
}

export function tableShape(columns: Map<string, number>): TableShape {
  const inputs = highest(columns, /^i(\d+)$/)
  const outputs = Math.max(highest(columns, /^t(\d+)$/), highest(columns, /^(?:out_)?o(\d+)$/), highest(columns, /^E(\d+)$/))
  const weights = highest(columns, /^w(\d+)$/)
  let hidden = highest(columns, /^(?:out_)?h(\d+)$/)
  if (!hidden && inputs + outputs > 0 && weights % (inputs + outputs) === 0) hidden = weights / (inputs + outputs)
  if (!inputs || !outputs || !hidden) throw new TableProblem('cannot tell the network’s size: the inputs (i1…) and targets (t1…) are needed')
  if (weights !== hidden * (inputs + outputs))
    throw new TableProblem(`a ${inputs}-${hidden}-${outputs} network has ${hidden * (inputs + outputs)} weights, the header names ${weights}`)
  if (hidden * (inputs + outputs) > 400) throw new TableProblem('more weights than a hand-built sheet holds')
  return { inputs, hidden, outputs }
}

/** Inputs, targets and initial weights from the first data row; the rate as found. */
export function rebuildExperiment(table: FoundTable, shape: TableShape, learningRate: number, name: string): Experiment {
  const row = table.dataRows[0]
  const read = (family: string, n: number): number[] =>
    Array.from({ length: n }, (_, i) => {
      const col = table.columns.get(`${family}${i + 1}`)
      const value = col === undefined ? null : numberAt(table.sheet, row, col)
      if (value === null) throw new TableProblem(`the first row has no number for ${family}${i + 1}: inputs, targets and initial weights are needed`)
      return value
    })
  const { inputs: I, hidden: H, outputs: K } = shape
  return {
    format: EXPERIMENT_FORMAT,
    version: FORMAT_VERSION,
    name,
    network: { layers: [I, H, K], activations: ['sigmoid', 'sigmoid'], bias: 'none' },
    loss: 'half-sse',
    samples: [{ inputs: read('i', I), targets: read('t', K) }],
    test: [],
    init: { weights: read('w', H * (I + K)) },
    // The sheet's way: full batch, plain gradient descent.
    training: { ...defaultExperiment().training, learningRates: [learningRate], epochs: table.dataRows.length },
  }
}
