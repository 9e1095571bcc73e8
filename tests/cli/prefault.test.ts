import { afterEach, describe, expect, it } from 'vitest'
import { PrefaultedChunks } from '../../src/cli/prefault'
import { Trainer } from '../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'

const sheet = runConfigs(defaultExperiment())[0]
let chunks: PrefaultedChunks | null = null
afterEach(async () => {
  await chunks?.close()
  chunks = null
})

/** Asks for chunks until the helper thread has had one ready in time (it runs on its own). */
async function untilReady(c: PrefaultedChunks, length: number): Promise<Float64Array[]> {
  const got: Float64Array[] = []
  for (let i = 0; i < 200 && c.counts.ready === 0; i++) {
    got.push(c.allocate(length))
    await new Promise((r) => setTimeout(r, 5))
  }
  return got
}

describe('chunks pre-faulted by a helper thread', () => {
  it('hands out zero-filled shared memory of the asked length once the helper has touched it', async () => {
    chunks = new PrefaultedChunks()
    const got = await untilReady(chunks, 100_000)
    expect(chunks.counts.ready).toBe(1)
    const ready = got[got.length - 1]
    expect(ready.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(ready.length).toBe(100_000)
    expect(ready.every((x) => x === 0)).toBe(true)
    // A table of another width drops what was prepared for the old one.
    expect(chunks.allocate(10).length).toBe(10)
  })

  it('a run recorded into them is the same, bit for bit, as one into plain memory', async () => {
    chunks = new PrefaultedChunks()
    await untilReady(chunks, 16384 * 27)
    const config = { ...sheet, epochs: 16384 * 4 + 3 }
    const a = new Trainer(config, { allocate: chunks.allocate })
    const b = new Trainer(config)
    a.step()
    b.step()
    expect(chunks.counts.ready).toBeGreaterThan(1)
    const rows = b.table!.rowCount
    expect(bytes(a.table!.slice(0, rows)).equals(bytes(b.table!.slice(0, rows)))).toBe(true) // the same bits in every column
  })

  it('close() ends the helper thread', async () => {
    chunks = new PrefaultedChunks()
    await untilReady(chunks, 1000)
    const helper = (chunks as unknown as { helper: { threadId: number } }).helper
    expect(helper.threadId).toBeGreaterThan(0)
    await chunks.close()
    expect(helper.threadId).toBe(-1) // Node's mark of a worker that has exited
    chunks = null
  })
})

const bytes = (columns: Float64Array[]): Buffer => Buffer.concat(columns.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)))
