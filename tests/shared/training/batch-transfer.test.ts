import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { EpochTable } from '../../../src/shared/engine/epoch-table'
import { transferables, type TrainingBatch } from '../../../src/shared/training/protocol'

describe('a batch: EpochTable.slice packs the columns into one buffer', () => {
  const columns = [Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6), Float64Array.of(-0, NaN, Infinity)]
  const table = new EpochTable(['a', 'b', 'c'])
  for (let r = 0; r < 3; r++) table.appendRow(columns.map((c) => c[r]))
  const packColumns = () => table.slice(0, 3)

  it('keeps every value and shares one buffer', () => {
    const packed = packColumns()
    expect(packed.map((c) => Array.from(c))).toEqual(columns.map((c) => Array.from(c)))
    expect(Object.is(packed[2][0], -0)).toBe(true)
    expect(new Set(packed.map((c) => c.buffer)).size).toBe(1)
  })

  it('is transferred once, not copied, and arrives intact', async () => {
    const batch: TrainingBatch = {
      type: 'batch',
      runId: 1,
      run: 0,
      from: 0,
      count: 3,
      columns: packColumns(),
      losses: Float64Array.of(0.3, 0.2, 0.1),
      weights: Float64Array.of(1),
      biases: new Float64Array(0),
      epochsPerSecond: 1,
    }
    const transfer = transferables(batch)
    expect(transfer).toHaveLength(4)
    const { port1, port2 } = new MessageChannel()
    const received = new Promise<TrainingBatch>((resolve) => port2.once('message', resolve))
    port1.postMessage(batch, transfer)
    const got = await received
    port1.close()
    expect(batch.columns![0].length).toBe(0) // detached: moved, not copied
    expect(got.columns!.map((c) => Array.from(c))).toEqual(columns.map((c) => Array.from(c)))
  })
})
