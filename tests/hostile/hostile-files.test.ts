import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCorpus, type HostileFile } from './corpus'
import { openLikeTheApp, type Measured } from './open-like-the-app'

/**
 * Issue 12, "Tests": every file of the hostile corpus goes through the app's open path (file
 * service, validation, the window's parse, cost estimate) and is either opened or refused with a
 * clear message. They run in a child process whose V8 heap is capped at 500 MB, so a file that
 * made V8 abort (as the 20 MB file with 200 learning rates did) fails this test instead of the
 * runner, and the process's peak resident memory must stay below 500 MB. Times (and each file's own
 * peak) are printed by bench/hostile-files.bench.ts; times are not asserted here.
 */
const root = resolve(__dirname, '../..')
let dir: string
let corpus: HostileFile[]
let outcomes: Map<string, Measured>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bplab-hostile-'))
  corpus = buildCorpus(dir)
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=500', '--import', 'tsx', join(__dirname, 'open-like-the-app.ts'), dir, ...corpus.map((f) => f.name)],
    { cwd: root, encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }
  )
  outcomes = new Map(out.trim().split('\n').map((line) => JSON.parse(line) as Measured).map((m) => [m.name, m]))
}, 300_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The message without the file service's wrapper: `Could not open "name": … .` */
const plain = (error: string): string => error.replace(/^Could not open "[^"]*": /, '').replace(/\.$/, '')

describe('the hostile corpus', () => {
  it('__proto__ and constructor keys are data, not a way into Object.prototype', async () => {
    for (const name of ['proto-keys.json', 'proto-in-network.json']) expect((await openLikeTheApp(join(dir, name))).ok).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('layers')
  })

  it('has at least 30 files, and the child process opened every one (no crash, no abort)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30)
    expect([...outcomes.keys()].sort()).toEqual(corpus.map((f) => f.name).sort())
  })

  it('opening every file, one after the other, never took the process past 500 MB resident', () => {
    // The 500 MB heap cap above aborts on the V8 heap only; this is the whole process (Node, tsx,
    // the text and the buffers outside the heap). Its peak after the last file is the peak of all.
    const peak = Math.max(...[...outcomes.values()].map((m) => m.peakMB))
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThan(500)
  })

  it('each file is opened, or refused with one clear line naming the problem', () => {
    const wrong: string[] = []
    for (const file of corpus) {
      const { result } = outcomes.get(file.name)!
      if (file.expect === 'open') {
        if (!result.ok) wrong.push(`${file.name}: expected to open, got "${result.error}"`)
        continue
      }
      if (result.ok) wrong.push(`${file.name}: expected a refusal, it opened`)
      else {
        const message = plain(result.error)
        if (!file.message!.test(message)) wrong.push(`${file.name}: "${message}" does not match ${String(file.message)}`)
        if (/\n/.test(result.error) || result.error.length > 300) wrong.push(`${file.name}: not one short line: ${result.error.slice(0, 100)}`)
        if (file.secret && result.error.includes(file.secret)) wrong.push(`${file.name}: the message quotes the file's content`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('the cost estimate decides what opening and training would do', () => {
    const opened = (name: string) => outcomes.get(name)!.result as Extract<Measured['result'], { ok: true }>
    // 7 KB that once started 51 GB of recording: opens, and Train is refused naming the number.
    expect(opened('rates-64-epochs-100-million.json')).toEqual({
      ok: true,
      onOpen: 'nothing to retrain',
      train: 'refused: the job needs 6.40 billion E_tot values (47.7 GB), more than the 1.00 GB it may use; train fewer epochs or learning rates',
    })
    // Saved runs of 100 million epochs each: shown as saved, not retrained on open.
    expect(opened('saved-results-100-million-epochs.bplab').onOpen).toBe('not yet verified')
    // The widest network the format allows with 10,000 samples opens, and trains recording E_tot
    // only (issue 12 item 6: a file the format accepts is one the app can train; see
    // tests/main/training/format-edges.test.ts for a real worker training it).
    expect(opened('huge-12x512-10000-samples-64-rates.json').train).toBe('records E_tot only')
  })
})
