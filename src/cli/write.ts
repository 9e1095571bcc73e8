import { closeSync, openSync, writeSync } from 'node:fs'
import type { RunResult } from '../shared/engine/trainer'

/** Writes text in pieces so a million-row table never becomes one string. */
function writeLines(path: string, lines: Iterable<string>): void {
  const fd = openSync(path, 'w')
  try {
    let buffer = ''
    for (const line of lines) {
      buffer += line + '\n'
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer)
        buffer = ''
      }
    }
    writeSync(fd, buffer)
  } finally {
    closeSync(fd)
  }
}

/** Table rows of a run: `epoch` (1-based) then every column. */
function* rows(run: RunResult): Generator<number[]> {
  const table = run.table!
  for (let r = 0; r < table.rowCount; r++) yield [r + 1, ...table.row(r)]
}

export function writeJson(path: string, runs: RunResult[]): void {
  writeLines(path, (function* () {
    yield '{ "runs": ['
    for (const [k, run] of runs.entries()) {
      yield `{ "learningRate": ${run.config.learningRate}, "stopReason": ${JSON.stringify(run.stopReason)},`
      yield `"columns": ${JSON.stringify(['epoch', ...run.layout.names])},`
      yield '"rows": ['
      let first = true
      for (const row of rows(run)) {
        yield (first ? '' : ',') + JSON.stringify(row)
        first = false
      }
      yield `] }${k < runs.length - 1 ? ',' : ''}`
    }
    yield '] }'
  })())
}
