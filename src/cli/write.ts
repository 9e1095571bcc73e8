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

/** Table rows of a run: `epoch` (1-based) then every column. */
function* rows(run: RunResult): Generator<number[]> {
  const table = run.table!
  for (let r = 0; r < table.rowCount; r++) yield [r + 1, ...table.row(r)]
}

export function writeJson(path: string, runs: RunResult[]): Promise<void> {
  return writeLines(path, (function* () {
    yield '{ "runs": ['
    for (const [k, run] of runs.entries()) {
      yield `{ "learningRate": ${run.config.learningRate}, "stopReason": ${JSON.stringify(run.stopReason)},`
      yield `"columns": ${JSON.stringify(['epoch', ...run.layout!.names])},`
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
