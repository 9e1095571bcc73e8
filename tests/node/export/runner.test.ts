import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createExportRunner, type ExportRunnerSettings } from '../../../src/node/export/runner'
import { Trainer } from '../../../src/shared/engine/trainer'
import { documentFromRuns, serializeDocument } from '../../../src/shared/document'
import { defaultExperiment } from '../../../src/shared/experiment'
import { readWorkbook } from './compare'

/**
 * The desktop app's exports in a real worker thread (src/node/export/worker.ts, run through tsx as
 * the training runner's tests do): written off the calling thread, progress, Cancel, a worker that
 * will not stop, and partial files left by killed exports.
 */
const bootstrap = resolve(__dirname, '../../main/training/tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/node/export/worker.ts')
/** A worker that opens its partial file and then never answers (stuck-worker.ts). */
const stuckEntry = resolve(__dirname, 'stuck-worker.ts')
const runner = (workerEntry = entry, settings?: ExportRunnerSettings) => createExportRunner(bootstrap, { workerData: { entry: workerEntry } }, settings)

const root = mkdtempSync(join(tmpdir(), 'bplab-export-runner-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())
let n = 0
const freshDir = (): string => {
  const d = join(root, String(n++))
  mkdirSync(d)
  return d
}

function documentText(epochs = 70, rates = [0.5]): string {
  const e = defaultExperiment()
  e.training.epochs = epochs
  e.training.learningRates = rates
  return serializeDocument(documentFromRuns(e, []))
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

describe('exports in a worker thread', () => {
  it('writes the workbook off the calling thread, with progress up to 1', async () => {
    const dir = freshDir()
    const path = join(dir, 'out.xlsx')
    const trainer = vi.spyOn(Trainer.prototype, 'step')
    const progress: number[] = []
    await runner()({ kind: 'xlsx', documentText: documentText(70, [0.5, 2]), path }, { onProgress: (f) => progress.push(f) })
    expect(trainer).not.toHaveBeenCalled() // nothing was trained on this thread
    const wb = await readWorkbook(path)
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'η = 0.5', 'η = 2', 'Formulas'])
    expect(progress.length).toBeGreaterThan(2)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress.at(-1)).toBe(1)
    expect(readdirSync(dir)).toEqual(['out.xlsx'])
  })

  it('writes CSV, and reports a refused document with its reason and no file', async () => {
    const dir = freshDir()
    await runner()({ kind: 'csv', documentText: documentText(), path: join(dir, 'a.csv') })
    expect(readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\r\n')).toHaveLength(71)
    await expect(runner()({ kind: 'csv', documentText: '{}', path: join(dir, 'b.csv') })).rejects.toThrow(/^Cannot export: /)
    expect(readdirSync(dir)).toEqual(['a.csv'])
  })

  for (const kind of ['xlsx', 'csv'] as const)
    it(`${kind}: Cancel ends the export and leaves no file, partial or whole`, async () => {
      const dir = freshDir()
      const abort = new AbortController()
      const path = join(dir, `big.${kind}`)
      // Cancelled once writing has begun (progress past the training share): a partial file exists.
      let atCancel: string[] = []
      const onProgress = (f: number): void => {
        if (f <= 0.3 || abort.signal.aborted) return
        atCancel = readdirSync(dir)
        abort.abort()
      }
      const done = runner()({ kind, documentText: documentText(400_000), path }, { signal: abort.signal, onProgress })
      await expect(done).rejects.toMatchObject({ name: 'AbortError' })
      expect(atCancel).toEqual([expect.stringMatching(new RegExp(`^\\.big\\.${kind}\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`))])
      expect(readdirSync(dir)).toEqual([])
    })

  it('a worker that does not stop is ended after the grace time, and its partial file removed', async () => {
    const dir = freshDir()
    const abort = new AbortController()
    const path = join(dir, 'stuck.csv')
    const done = runner(stuckEntry, { graceMs: 300 })({ kind: 'csv', documentText: documentText(), path }, { signal: abort.signal, onProgress: () => abort.abort() })
    await expect(done).rejects.toMatchObject({ name: 'AbortError' })
    expect(readdirSync(dir)).toEqual([])
  })

  it('the next export to a folder removes temp files of exports that were killed, and only those', async () => {
    const dir = freshDir()
    const dead = deadPid()
    // The atomic writer's temp names, and the `.partial` names of earlier versions.
    const stale = [`.old.xlsx.${dead}.0badcafe.tmp`, `out.csv.${dead}-2.partial`]
    // A write of a running process (the test runner's parent) is left alone.
    const alive = `.other.csv.${process.ppid}.00c0ffee.tmp`
    for (const name of [...stale, alive]) writeFileSync(join(dir, name), 'half a file')
    writeFileSync(join(dir, 'notes.partial'), 'not ours')
    await runner()({ kind: 'csv', documentText: documentText(), path: join(dir, 'out.csv') })
    expect(readdirSync(dir).sort()).toEqual([alive, 'notes.partial', 'out.csv'].sort())
  })
})
