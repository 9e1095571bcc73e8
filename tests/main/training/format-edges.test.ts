import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTrainingRunner } from '../../../src/main/training/runner'
import { readExperimentFile } from '../../../src/node/files/experiment-files'
import { estimateCost, jobShape, recordPlan } from '../../../src/shared/cost'
import { parseDocumentText } from '../../../src/shared/document'
import { Trainer } from '../../../src/shared/engine/trainer'
import { runConfigs } from '../../../src/shared/experiment'
import { jobOf, jobRuns } from '../../../src/shared/training/job'
import type { TrainingPool } from '../../../src/shared/training/pool'
import { writeHugeWideFile } from '../../hostile/corpus'
import { ok } from '../../shared/document/parsed'
import { nextEvent } from './stop-support'

/**
 * Issue 12 item 6, "a file the format accepts is one the app can train", at the format's edges:
 * the widest network (12 layers of 512) with the most samples (10,000 × 512 inputs and targets) and
 * the most learning rates (64). Its table is too big to record, so the job records E_tot only,
 * says so, lays out no column names, and a real worker thread builds its trainer and starts.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')
const dir = mkdtempSync(join(tmpdir(), 'bplab-edges-'))
let pool: TrainingPool | null = null
afterEach(() => pool?.dispose())
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a file at the format’s edges trains', () => {
  it('12 × 512 layers, 10,000 samples, 64 rates: E_tot only, said in one sentence, started by a worker', async () => {
    const path = join(dir, 'edges.json')
    writeHugeWideFile(path, 64)
    const doc = ok(parseDocumentText((await readExperimentFile(path)).text))
    const configs = runConfigs(doc.experiment)
    expect(configs).toHaveLength(64)

    // Recording every column is beyond the budget: E_tot only, with the sentence the window shows.
    const plan = recordPlan(estimateCost(jobShape(configs[0], configs.length)))
    expect(plan).toEqual({ ok: true, record: false, note: expect.stringMatching(/^Only E_tot is recorded: every column of every epoch would be .* numbers/) })
    // What main checks before it trains (jobRuns) accepts the job as the window sends it.
    const runs = jobRuns(jobOf(configs), false)
    expect(runs.ok).toBe(true)

    // An E_tot-only trainer lays out no names: the table would have had millions of columns.
    expect(new Trainer(configs[0], { record: false }).layout).toBeNull()

    pool = createTrainingRunner(bootstrap, 1, { workerData: { entry } })
    const started = nextEvent(pool, (e) => e.type === 'started' || e.type === 'error')
    pool.start(1, [configs[0]], { record: false, paused: true })
    expect((await started).event).toEqual({ type: 'started', runId: 1, run: 0, columns: [] })
    const ended = nextEvent(pool, (e) => e.type === 'done' || e.type === 'error')
    pool.stop(1)
    expect((await ended).event).toMatchObject({ type: 'done', stopReason: { kind: 'stopped', epochs: 0 } })
  }, 120_000)
})
