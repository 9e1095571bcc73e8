import type { ColumnLayout } from '../shared/engine/columns'
import type { RunResult } from '../shared/engine/trainer'
import { openAtomic } from '../node/files/atomic-write'

/** Writes text in pieces through the atomic writer, so a million-row table never becomes one string and a failed run leaves no half file. */
export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  // `--json /dev/null` or a pipe is written straight into; a file is replaced atomically.
  const file = await openAtomic(path, { devices: 'write-through' })
  try {
    let buffer = ''
    for (const line of lines) {
      buffer += line + '\n'
      if (buffer.length > 1 << 20) {
        await file.write(buffer)
        buffer = ''
      }
    }
    await file.write(buffer)
  } catch (e) {
    await file.abort()
    throw e
  }
  await file.commit()
}

/**
 * The JSON's columns of a recorded run: `epoch`, then the table's columns with E_test, acc_train and
 * acc_test always among them, in the table's order (after E_tot and penalty); `from[c]` is the
 * table's column, or −1 for a measure the run has none of (no test set, not classification), written null.
 */
export function jsonColumns(layout: ColumnLayout): { names: string[]; from: number[] } {
  // The measures every JSON run lists, whether the run has them or not (docs/columns.md, "JSON").
  const measures: [string, number][] = [
    ['E_test', layout.testLossColumn],
    ['acc_train', layout.accTrainColumn],
    ['acc_test', layout.accTestColumn],
  ]
  const names: string[] = ['epoch']
  const from: number[] = [-1]
  const after = layout.penaltyColumn >= 0 ? layout.penaltyColumn : layout.lossColumn
  layout.names.forEach((name, c) => {
    if (measures.some(([, m]) => m === c)) return
    names.push(name)
    from.push(c)
    if (c === after)
      for (const [measure, m] of measures) {
        names.push(measure)
        from.push(m)
      }
  })
  return { names, from }
}

/** Table rows of a run: `epoch` (1-based) then every JSON column; null where the run has no value. */
function* rows(run: RunResult, from: number[]): Generator<(number | null)[]> {
  const table = run.table!
  for (let r = 0; r < table.rowCount; r++) {
    const row = table.row(r)
    yield from.map((c, i) => (i === 0 ? r + 1 : c < 0 ? null : row[c]))
  }
}

export function writeJson(path: string, runs: RunResult[]): Promise<void> {
  return writeLines(path, (function* () {
    yield '{ "runs": ['
    for (const [k, run] of runs.entries()) {
      const { names, from } = jsonColumns(run.layout!)
      yield `{ "learningRate": ${run.config.learningRate}, "stopReason": ${JSON.stringify(run.stopReason)},`
      yield `"columns": ${JSON.stringify(names)},`
      yield '"rows": ['
      let first = true
      for (const row of rows(run, from)) {
        yield (first ? '' : ',') + JSON.stringify(row)
        first = false
      }
      yield `] }${k < runs.length - 1 ? ',' : ''}`
    }
    yield '] }'
  })())
}
