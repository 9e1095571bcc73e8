import { Trainer } from '../engine/trainer'
import { CHUNK_ROWS } from '../engine/epoch-table'
import { columnLayout } from '../engine/columns'
import { runConfigs } from '../experiment'
import { experimentToExport } from './input'

/**
 * The epoch table as CSV: a header row, then one row per epoch — `epoch` (1-based) and every
 * column of the table. An experiment with several learning rates goes into one file with two
 * leading columns `run` (1-based) and `eta`, so every row says which run it belongs to.
 * Numbers are written in JavaScript's shortest round-trip form (full precision). The text starts
 * with a UTF-8 byte order mark so that Excel reads the ∂ of the gradient names correctly.
 */
export const CSV_BOM = '\uFEFF'

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/**
 * The CSV text in chunks of about a chunk of epochs each (bounded memory), from the document's text
 * as saved (any format version); throws `Cannot export: …` on the first chunk for an invalid document.
 */
export function* csvChunks(documentText: string): Generator<string, void, void> {
  const configs = runConfigs(experimentToExport(documentText))
  const several = configs.length > 1
  const names = columnLayout(configs[0].network, configs[0].samples.length).names
  yield CSV_BOM + [...(several ? ['run', 'eta'] : []), 'epoch', ...names].map(quote).join(',') + '\r\n'
  for (const [i, config] of configs.entries()) {
    const trainer = new Trainer(config)
    const table = trainer.table!
    const prefix = several ? `${i + 1},${config.learningRate},` : ''
    let epoch = 0
    while (!trainer.done) {
      trainer.step(CHUNK_ROWS)
      let text = ''
      for (let r = 0; r < table.rowCount; r++) {
        let line = prefix + ++epoch
        for (let c = 0; c < names.length; c++) line += ',' + table.get(r, c)
        text += line + '\r\n'
      }
      table.truncate(0)
      if (text) yield text
    }
  }
}
