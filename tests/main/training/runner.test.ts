import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTrainingRunner, nodeWorkerFactory } from '../../../src/main/training/runner'
import { layoutOf, columnPlaces, constantColumns, train } from '../../../src/shared/engine'
import { optimizerOf, type RunConfig } from '../../../src/shared/engine/types'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { TrainingPool } from '../../../src/shared/training/pool'
import type { TrainingBatch, TrainingEvent } from '../../../src/shared/training/protocol'
import { appColumnName, loadSheet, relativeError } from '../../shared/reference'

/**
 * Real worker threads running src/main/training/worker.ts (through tsx, see tsx-worker.cjs). The
 * pace of batches and the transfer of their buffers are checked on a simulated clock in
 * tests/shared/training/session-batches.test.ts.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')

let pools: TrainingPool[] = []
function runner(size = 2, crash?: { on: 'throw' | 'exit'; epochs: number }): TrainingPool {
  const pool = createTrainingRunner(bootstrap, size, { workerData: { entry, crashOn: crash?.on, crashEpochs: crash?.epochs } })
  pools.push(pool)
  return pool
}
afterEach(() => {
  for (const pool of pools) pool.dispose()
  pools = []
})

function sheetConfigs(rates: number[], epochs = 70): RunConfig[] {
  const exp = defaultExperiment()
  exp.training.learningRates = rates
  exp.training.epochs = epochs
  return runConfigs(exp)
}

interface Recorder {
  events: TrainingEvent[]
  /** Resolves with the first event matching `test` (from now on or already seen). */
  next(test: (e: TrainingEvent) => boolean, timeoutMs?: number): Promise<TrainingEvent & { at: number }>
}

function record(pool: TrainingPool): Recorder {
  const events: (TrainingEvent & { at: number })[] = []
  const waiting: { test: (e: TrainingEvent) => boolean; resolve: (e: TrainingEvent & { at: number }) => void }[] = []
  pool.onEvent((e) => {
    const stamped = Object.assign(e, { at: performance.now() })
    events.push(stamped)
    for (const w of [...waiting])
      if (w.test(e)) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(stamped)
      }
  })
  return {
    events,
    next(test, timeoutMs = 20_000) {
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a training event')), timeoutMs)
        waiting.push({
          test,
          resolve: (e) => {
            clearTimeout(timer)
            resolvePromise(e)
          },
        })
      })
    },
  }
}

const isEnd = (runId: number, run: number) => (e: TrainingEvent) =>
  e.runId === runId && e.run === run && (e.type === 'done' || e.type === 'error')
const batchesOf = (events: TrainingEvent[], runId: number, run: number): TrainingBatch[] =>
  events.filter((e): e is TrainingBatch => e.type === 'batch' && e.runId === runId && e.run === run)

/**
 * Joins a run's batches into whole columns, checking they are contiguous: every column of the
 * layout, the constant ones (inputs, targets: not sent) from the config, as the page does it.
 */
function joined(batches: TrainingBatch[], config?: RunConfig): { losses: number[]; columns: number[][] } {
  const losses: number[] = []
  const stored: number[][] = []
  for (const b of batches) {
    expect(b.from).toBe(losses.length)
    expect(b.losses).toHaveLength(b.count)
    // Element by element: spreading a batch of 100,000+ numbers would overflow the call stack.
    for (const loss of b.losses) losses.push(loss)
    b.columns?.forEach((col, c) => {
      const column = (stored[c] ??= [])
      for (const value of col) column.push(value)
    })
  }
  if (!config) return { losses, columns: stored }
  const layout = layoutOf(config)
  const constants = constantColumns(layout, config.samples)
  const { place } = columnPlaces(layout.names.length, constants)
  expect(stored).toHaveLength(layout.names.length - constants.size)
  return { losses, columns: layout.names.map((_, c) => (place[c] < 0 ? losses.map(() => constants.get(c)!) : stored[place[c]])) }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('training runner (worker threads)', () => {
  it('trains the sheet: every column of every epoch equals the sheet and the engine', async () => {
    const sheet = loadSheet()
    const pool = runner(2)
    const rec = record(pool)
    const configs = sheetConfigs([0.5, 2])
    pool.start(1, configs, { record: true })
    const ends = await Promise.all([rec.next(isEnd(1, 0)), rec.next(isEnd(1, 1))])
    for (const end of ends) expect(end).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 70 } })
    for (const [run, key] of [
      [0, 'eta_0_5'],
      [1, 'eta_2'],
    ] as const) {
      const started = rec.events.find((e) => e.type === 'started' && e.run === run)
      const ref = sheet[key]
      expect(started).toMatchObject({ columns: ref.columns.map(appColumnName) })
      const { losses, columns } = joined(batchesOf(rec.events, 1, run), configs[run])
      expect(losses).toHaveLength(70)
      const engine = train(configs[run])
      expect(losses).toEqual(Array.from(engine.losses))
      ref.columns.forEach((name, c) => {
        expect(columns[c]).toEqual(Array.from(engine.table!.column(c)))
        for (let r = 0; r < 70; r++)
          expect(relativeError(columns[c][r], ref.rows[r][name]), `${key} row ${r + 1} ${name}`).toBeLessThanOrEqual(1e-11)
      })
    }
  })

  it('start paused, step, pause, resume and stop', async () => {
    const pool = runner(1)
    const rec = record(pool)
    const config = sheetConfigs([0.5], 1e8)[0]
    pool.start(3, [config], { record: true, paused: true })
    expect(await rec.next((e) => e.type === 'paused')).toMatchObject({ runId: 3, run: 0, epochs: 0 })
    pool.step(3, 5)
    expect(await rec.next((e) => e.type === 'paused' && e.epochs > 0)).toMatchObject({ epochs: 5 })
    pool.step(3, 10)
    expect(await rec.next((e) => e.type === 'paused' && e.epochs > 5)).toMatchObject({ epochs: 15 })
    const stepped = joined(batchesOf(rec.events, 3, 0))
    expect(stepped.losses).toHaveLength(15)
    await sleep(100)
    expect(rec.events.filter((e) => e.type === 'batch')).toHaveLength(batchesOf(rec.events, 3, 0).length)
    const beyond = (epochs: number) => (e: TrainingEvent) => e.type === 'batch' && e.runId === 3 && e.from + e.count > epochs
    pool.resume(3)
    await rec.next(beyond(15))
    pool.pause(3)
    const paused = await rec.next((e) => e.type === 'paused' && e.epochs > 15)
    if (paused.type !== 'paused') throw new Error('unreachable')
    const countAtPause = joined(batchesOf(rec.events, 3, 0)).losses.length
    expect(countAtPause).toBe(paused.epochs)
    await sleep(150)
    expect(joined(batchesOf(rec.events, 3, 0)).losses.length).toBe(countAtPause)
    pool.resume(3)
    await rec.next(beyond(countAtPause))
    pool.stop(3)
    const end = await rec.next(isEnd(3, 0))
    expect(end).toMatchObject({ type: 'done', stopReason: { kind: 'stopped' } })
    const all = joined(batchesOf(rec.events, 3, 0), config)
    expect(end.type === 'done' && end.stopReason.epochs).toBe(all.losses.length)
    expect(all.losses.length).toBeGreaterThan(countAtPause)
    // Stepping, pausing and resuming does not change a single number.
    const engine = new (await import('../../../src/shared/engine')).Trainer(config)
    engine.step(all.losses.length)
    expect(all.losses).toEqual(Array.from(engine.losses.toArray()))
    all.columns.forEach((col, c) => expect(col).toEqual(Array.from(engine.table!.column(c))))
  })

  it('a six-rate comparison runs on more than one worker; each run equals the single-thread engine bit for bit', async () => {
    // The runner's own worker factory, watched: which worker thread is given which run.
    const given = new Map<number, number[]>()
    const factory = nodeWorkerFactory(bootstrap, { workerData: { entry } })
    let made = 0
    const pool = new TrainingPool((onEvent, onFailure) => {
      const id = made++
      const worker = factory(onEvent, onFailure)
      return {
        post: (command, transfer) => {
          if (command.type === 'start') given.set(id, [...(given.get(id) ?? []), command.run])
          worker.post(command, transfer)
        },
        terminate: () => worker.terminate(),
      }
    }, 2)
    pools.push(pool)
    const rec = record(pool)
    const configs = sheetConfigs([0.1, 0.25, 0.5, 1, 2, 4], 3000)
    pool.start(4, configs, { record: true })
    await Promise.all(configs.map((_, run) => rec.next(isEnd(4, run))))
    expect(pool.workerCount).toBe(2)
    expect(given.size).toBe(2)
    expect([...given.values()].every((runs) => runs.length > 0)).toBe(true)
    expect([...given.values()].flat().sort()).toEqual([0, 1, 2, 3, 4, 5])
    configs.forEach((config, run) => {
      const engine = train(config)
      const { losses, columns } = joined(batchesOf(rec.events, 4, run), config)
      expect(new Float64Array(losses)).toEqual(engine.losses)
      columns.forEach((col, c) => {
        const expected = engine.table!.column(c)
        for (let r = 0; r < col.length; r++) if (!Object.is(col[r], expected[r])) throw new Error(`run ${run} col ${c} row ${r}`)
        expect(col).toHaveLength(3000)
      })
      const done = rec.events.find(isEnd(4, run))
      expect(done).toMatchObject({ type: 'done', stopReason: engine.stopReason })
    })
  })

  it('carries the issue-15 configuration unchanged: mini-batches, adam, l2, a test set; every column equals the engine in this thread', async () => {
    const pool = runner(2)
    const rec = record(pool)
    const base = sheetConfigs([0.5, 0.1], 40)
    const point = (i: number) => ({ inputs: [Math.sin(i), Math.cos(3 * i)], targets: [i % 2, 1 - (i % 2)] })
    const configs: RunConfig[] = base.map((c) => ({
      ...c,
      samples: Array.from({ length: 14 }, (_, i) => point(i)),
      test: Array.from({ length: 4 }, (_, i) => point(20 + i)),
      batchSize: 4,
      shuffleSeed: 9,
      optimizer: optimizerOf('adam'),
      regularization: { kind: 'l2', rate: 0.01 },
    }))
    pool.start(7, configs, { record: true })
    const ends = await Promise.all([rec.next(isEnd(7, 0)), rec.next(isEnd(7, 1))])
    for (const end of ends) expect(end).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 40 } })
    configs.forEach((config, run) => {
      const started = rec.events.find((e) => e.type === 'started' && e.runId === 7 && e.run === run)
      const engine = train(config)
      expect(started).toMatchObject({ columns: engine.layout.names })
      expect(engine.layout.names).toEqual(expect.arrayContaining(['penalty', 'E_test', 'acc_train', 'acc_test', 'm_w1', 'v_w8']))
      const { columns } = joined(batchesOf(rec.events, 7, run), config)
      engine.layout.names.forEach((_, c) => expect(columns[c]).toEqual(Array.from(engine.table.column(c))))
    })
  })

  it('a bad configuration is reported as an error and the next run works', async () => {
    const pool = runner(1)
    const rec = record(pool)
    const bad = sheetConfigs([0.5])[0]
    bad.weights = [1, 2, 3]
    pool.start(5, [bad], { record: false })
    expect(await rec.next(isEnd(5, 0))).toMatchObject({ type: 'error', message: expect.stringMatching(/weight/i) })
    pool.start(6, sheetConfigs([0.5]), { record: false })
    expect(await rec.next(isEnd(6, 0))).toMatchObject({ type: 'done', stopReason: { kind: 'epochs' } })
    expect(pool.workerCount).toBe(1)
  })

  for (const how of ['throw', 'exit'] as const) {
    it(`a worker that ${how === 'throw' ? 'throws' : 'exits'} is reported with its reason; it is replaced and the next run works`, async () => {
      const pool = runner(1, { on: how, epochs: 666 })
      const rec = record(pool)
      pool.start(7, [sheetConfigs([0.5], 666)[0], sheetConfigs([2])[0]], { record: false })
      const failure = await rec.next(isEnd(7, 0))
      expect(failure).toMatchObject({
        type: 'error',
        message: how === 'throw' ? expect.stringContaining('deliberate failure') : expect.stringContaining('code 3'),
      })
      // The queued run goes to a fresh worker.
      expect(await rec.next(isEnd(7, 1))).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 70 } })
      pool.start(8, sheetConfigs([1]), { record: false })
      expect(await rec.next(isEnd(8, 0))).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 70 } })
      expect(joined(batchesOf(rec.events, 8, 0)).losses).toEqual(Array.from(train(sheetConfigs([1])[0]).losses))
    })
  }
})
