import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { createExportRunner } from '../../../src/node/export/runner'
import { EXPORT_HEAP, exportHeapMb } from '../../../src/node/export/limits'
import type { ExportEvent } from '../../../src/node/export/protocol'
import { estimateCost, jobOf } from '../../../src/shared/cost'
import { documentFromRuns, serializeDocument } from '../../../src/shared/document'
import { defaultExperiment } from '../../../src/shared/experiment'
import { experimentToExport } from '../../../src/shared/export/input'

/**
 * The export worker's heap (src/node/export/limits.ts), in real worker threads (worker.ts through
 * tsx): sized from the job's cost with a cap, and an export past it is an error with no file left,
 * while this process — the app's main process in the desktop app — goes on exporting.
 */
const bootstrap = resolve(__dirname, '../../main/training/tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/node/export/worker.ts')
const root = mkdtempSync(join(tmpdir(), 'bplab-export-oom-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshDir = (): string => {
  const d = join(root, String(n++))
  mkdirSync(d)
  return d
}

function documentText(layers = [2, 2, 2], epochs = 70): string {
  const e = defaultExperiment()
  e.network = { layers, activations: layers.slice(1).map(() => 'sigmoid' as const), bias: 'none' }
  if (layers.join() !== '2,2,2') e.init = { seed: 1, scheme: 'xavier' }
  e.training.epochs = epochs
  return serializeDocument(documentFromRuns(e, []))
}

describe('the export worker’s heap', () => {
  it('is sized from the text and the cost’s columns, and capped', () => {
    expect(exportHeapMb(0)).toBe(EXPORT_HEAP.baseMb)
    expect(exportHeapMb(1024 ** 2)).toBe(EXPORT_HEAP.baseMb + EXPORT_HEAP.perTextByte)
    expect(exportHeapMb(0, { columns: 4 * 1024 ** 2 })).toBe(EXPORT_HEAP.baseMb + 4 * EXPORT_HEAP.perColumn)
    expect(exportHeapMb(128 * 1024 ** 2, { columns: 6_000_000 })).toBe(EXPORT_HEAP.baseMb + 1024 + 1465) // the largest the format and the budget allow
    expect(exportHeapMb(512 * 1024 ** 2, { columns: 6_000_000 })).toBe(EXPORT_HEAP.capMb)
    expect(exportHeapMb(0, { columns: 6_000_000 }, 500)).toBe(500)
  })

  it('a worker given less than its job’s cost needs asks for that much before any work', async () => {
    const dir = freshDir()
    const text = documentText([2, 64, 64, 2], 10)
    const need = exportHeapMb(text.length, estimateCost(jobOf(experimentToExport(text))))
    expect(need).toBeGreaterThan(exportHeapMb(text.length)) // more than the text alone says
    const worker = new Worker(bootstrap, { workerData: { entry }, resourceLimits: { maxOldGenerationSizeMb: exportHeapMb(text.length) } })
    try {
      const answer = new Promise<ExportEvent>((res) => worker.once('message', res))
      worker.postMessage({ type: 'start', job: { kind: 'csv', documentText: text, path: join(dir, 'x.csv') }, heapCapMb: EXPORT_HEAP.capMb })
      expect(await answer).toEqual({ type: 'heap', mb: need })
      expect(readdirSync(dir)).toEqual([]) // nothing was begun
    } finally {
      await worker.terminate()
    }
  }, 60_000)

  it('the runner then runs the job in a worker of that size', async () => {
    const dir = freshDir()
    await createExportRunner(bootstrap, { workerData: { entry } })({ kind: 'csv', documentText: documentText([2, 64, 64, 2], 10), path: join(dir, 'x.csv') })
    expect(readFileSync(join(dir, 'x.csv'), 'utf8').trim().split('\r\n')).toHaveLength(11)
  }, 60_000)

  it('an export that runs out of memory while writing is a clear error, leaves no file, and the next export runs', async () => {
    const dir = freshDir()
    // The sheet's net for 100,000 epochs: trained in a moment, but a chunk of CSV text (about a
    // million numbers, ~20 MB) is more than a 48 MB heap holds beside the worker's own code.
    const run = createExportRunner(bootstrap, { workerData: { entry } }, { heapCapMb: 48 })
    const made: string[] = []
    const watcher = watch(dir, (_event, name) => name && made.push(name))
    try {
      await expect(run({ kind: 'csv', documentText: documentText([2, 2, 2], 100_000), path: join(dir, 'big.csv') })).rejects.toThrow(
        'The export ran out of memory (an export may use 48 MB). Nothing was written; export fewer epochs, learning rates or samples.'
      )
    } finally {
      watcher.close()
    }
    // It ran out while writing: its temp file had been made, and is gone.
    expect(made).toContainEqual(expect.stringMatching(new RegExp(`^\\.big\\.csv\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`)))
    expect(readdirSync(dir)).toEqual([])
    // This process is still here, and so is the runner: the next export is written.
    await run({ kind: 'csv', documentText: documentText(), path: join(dir, 'small.csv') })
    expect(readdirSync(dir)).toEqual(['small.csv'])
  }, 60_000)
})
