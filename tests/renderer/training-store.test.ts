// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { watch } from 'vue'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { appColumnName, loadSheet, relativeError } from '../shared/reference'
import { advanceUntil as until, useSimulatedTraining } from './in-process-host'

const sheet = loadSheet()

// Fake timers and clock, and workers on a simulated machine: every wait below is simulated time.
const host = useSimulatedTraining()
/** Lets `ms` of simulated time pass. */
const wait = async (ms: number): Promise<void> => void (await vi.advanceTimersByTimeAsync(ms))

describe('useTrainingStore with the real engine in (in-process) workers on simulated time', () => {
  it("trains the sheet: every cell of every epoch is the sheet's", async () => {
    const training = useTrainingStore()
    expect(training.train()).toBe(true)
    expect(training.status).toBe('running')
    await until(() => training.status === 'done')
    const run = training.runs[0]
    expect(run.epochs).toBe(70)
    expect(run.stopReason?.kind).toBe('epochs')
    expect(run.table.rowCount).toBe(70)
    expect(run.losses.length).toBe(70)
    let worst = 0
    for (const name of sheet.eta_0_5.columns) {
      const col = run.layout.names.indexOf(appColumnName(name))
      expect(col, name).toBeGreaterThanOrEqual(0)
      sheet.eta_0_5.rows.forEach((row, r) => (worst = Math.max(worst, relativeError(run.table.get(r, col), row[name]))))
    }
    expect(worst).toBeLessThan(1e-12)
    // E_tot is read from the table's own column (no second copy), and equals the engine's series.
    const engine = new Trainer(runConfigs(defaultExperiment())[0])
    engine.step()
    for (let e = 0; e < 70; e++) {
      expect(run.losses.get(e)).toBe(run.table.get(e, run.layout.lossColumn))
      expect(run.losses.get(e)).toBe(engine.losses.get(e))
    }
    expect(Array.from(run.losses.toArray())).toEqual(Array.from(engine.losses.toArray()))
    // Parameters after the last epoch: the engine's.
    const trainer = new Trainer(runConfigs(defaultExperiment())[0])
    trainer.step()
    expect(Array.from(run.weights)).toEqual(Array.from(trainer.weights))
  })

  it('the speed control holds a job to its pace from Train on, each epoch shown as it comes; a new pace reaches it while it runs', async () => {
    const training = useTrainingStore()
    training.setPace(5)
    training.train()
    const seen: number[] = []
    watch(
      () => training.liveVersion,
      () => seen.push(training.runs[0].epochs)
    )
    await wait(1100)
    // Epochs at 0, 200, …, 1000 ms of simulated time, each applied (and its parameters live) on its own.
    expect(training.runs[0].epochs).toBe(6)
    expect(seen).toEqual([1, 2, 3, 4, 5, 6])
    expect(training.status).toBe('running')
    training.setPace(0)
    expect(training.pace).toBe(0)
    await until(() => training.status === 'done')
    expect(training.runs[0].epochs).toBe(70)
    // Not a pace: full speed.
    training.setPace(NaN)
    expect(training.pace).toBe(0)
  })

  it('applies arriving batches at most once per animation frame', async () => {
    const frames: (() => void)[] = []
    setFrameScheduler((fn) => frames.push(fn))
    const training = useTrainingStore()
    useExperimentStore().experiment.training.learningRates = [0.1, 0.5, 2]
    training.train()
    const v0 = training.version
    await until(() => frames.length > 0)
    await wait(50) // several events queue up meanwhile
    expect(training.version).toBe(v0)
    expect(frames).toHaveLength(1)
    frames.shift()!()
    expect(training.version).toBe(v0 + 1)
    while (training.status !== 'done') {
      await until(() => frames.length > 0)
      frames.shift()!()
    }
    expect(training.runs.map((r) => r.epochs)).toEqual([70, 70, 70])
  })

  it('redraws a running job at most every 100 ms, and a pause at once', async () => {
    useExperimentStore().experiment.training.epochs = 50_000_000 // runs for seconds (E_tot only: too big to record)
    const training = useTrainingStore()
    const bumps: number[] = []
    watch(
      () => training.version,
      () => bumps.push(performance.now()),
      { flush: 'sync' }
    )
    training.train()
    await wait(700)
    const running = bumps.slice(1) // the first bump is train() itself
    expect(running.length).toBeGreaterThan(4)
    for (let i = 1; i < running.length; i++) expect(running[i] - running[i - 1]).toBeGreaterThanOrEqual(100)
    training.pause()
    const before = bumps.length
    await until(() => training.runs[0].paused)
    expect(bumps.length).toBeGreaterThan(before)
    training.stop()
    await until(() => training.status === 'done')
  })

  it('steps one epoch, then ten, then resumes to the end', async () => {
    const training = useTrainingStore()
    training.step(1)
    expect(training.status).toBe('paused')
    await until(() => training.runs[0]?.epochs === 1)
    expect(relativeError(training.runs[0].losses.get(0), sheet.eta_0_5.rows[0].E_tot)).toBeLessThan(1e-12)
    training.step(10)
    await until(() => training.runs[0].epochs === 11)
    await wait(50)
    expect(training.runs[0].epochs).toBe(11)
    expect(training.status).toBe('paused')
    training.resume()
    await until(() => training.status === 'done')
    expect(training.runs[0].table.rowCount).toBe(70)
  })

  it('steps every run of a six-rate comparison together', async () => {
    useExperimentStore().experiment.training.learningRates = [...sheet.summary.learningRates]
    const training = useTrainingStore()
    training.step(2)
    await until(() => training.runs.length === 6 && training.runs.every((r) => r.epochs === 2))
    await wait(50)
    expect(training.runs.map((r) => r.epochs)).toEqual([2, 2, 2, 2, 2, 2])
    training.runs.forEach((run) =>
      expect(relativeError(run.losses.get(1), sheet.summary.eTotal[String(run.learningRate)][1])).toBeLessThan(1e-12)
    )
  })

  it('pauses, resumes and stops a long run', async () => {
    const experiment = useExperimentStore()
    experiment.experiment.training.epochs = 1_000_000
    const training = useTrainingStore()
    training.train()
    await until(() => training.runs[0].epochs > 0)
    training.pause()
    expect(training.status).toBe('paused')
    await until(() => training.runs[0].paused)
    const at = training.runs[0].epochs
    await wait(60)
    expect(training.runs[0].epochs).toBe(at)
    training.resume()
    await until(() => training.runs[0].epochs > at + 50_000)
    training.stop()
    await until(() => training.status === 'done')
    expect(training.runs[0].stopReason?.kind).toBe('stopped')
    expect(training.runs[0].table.rowCount).toBe(training.runs[0].epochs)
    expect(training.progress.epochs).toBe(training.runs[0].epochs)
    // Rows well past the worker's first chunks (which it frees once sent) arrive intact.
    const run = training.runs[0]
    const trainer = new Trainer(run.config)
    trainer.step(run.epochs)
    for (const row of [0, Math.floor(run.epochs / 2), run.epochs - 1])
      expect(Array.from(run.table.row(row))).toEqual(Array.from(trainer.table!.row(row)))
  })

  it("compares six learning rates: each run's final E_tot is the sheet summary's", async () => {
    const experiment = useExperimentStore()
    experiment.experiment.training.learningRates = [...sheet.summary.learningRates]
    const training = useTrainingStore()
    training.train()
    await until(() => training.status === 'done')
    expect(training.runs.map((r) => r.learningRate)).toEqual(sheet.summary.learningRates)
    for (const run of training.runs) {
      const expected = sheet.summary.eTotal[String(run.learningRate)]
      expect(run.losses.length).toBe(70)
      for (let e = 0; e < 70; e++) expect(relativeError(run.losses.get(e), expected[e])).toBeLessThan(1e-9)
    }
  })

  it('ignores messages of a replaced job', async () => {
    const experiment = useExperimentStore()
    experiment.experiment.training.epochs = 2_000_000
    const training = useTrainingStore()
    training.train()
    await until(() => training.runs[0].epochs > 0)
    experiment.experiment.training.epochs = 70
    experiment.experiment.training.learningRates = [2]
    training.train()
    await until(() => training.status === 'done')
    await wait(50)
    expect(training.runs).toHaveLength(1)
    expect(training.runs[0].learningRate).toBe(2)
    expect(training.runs[0].epochs).toBe(70)
    expect(relativeError(training.runs[0].losses.get(69), sheet.summary.eTotal['2'][69])).toBeLessThan(1e-9)
    training.reset()
    expect(training.runs).toEqual([])
    expect(training.status).toBe('idle')
  })

  it('refuses to train a blocked experiment', () => {
    useExperimentStore().experiment.network.layers[1] = 0
    const training = useTrainingStore()
    expect(training.train()).toBe(false)
    expect(training.status).toBe('idle')
    expect(training.runs).toEqual([])
  })

  it('records only E_tot for a job too large to record in full', async () => {
    const experiment = useExperimentStore()
    experiment.experiment.training.epochs = 6_000_000 // 27 stored columns × 6M × 8 bytes > the 1 GB record budget
    experiment.experiment.training.stopBelow = 0.2
    const training = useTrainingStore()
    training.train()
    expect(training.recorded).toBe(false)
    expect(training.recordNote).toMatch(/^Only E_tot is recorded: every column of every epoch would be 162 million numbers \(1\.21 GB\)/)
    await until(() => training.status === 'done')
    const run = training.runs[0]
    expect(run.stopReason?.kind).toBe('threshold')
    expect(run.table.rowCount).toBe(0)
    expect(run.losses.get(run.epochs - 1)).toBeLessThan(0.2)
  })
})

describe('a job the cost estimate or the shell refuses', () => {
  it('refuses a job whose E_tot alone cannot fit, naming the number, and starts nothing', () => {
    const experiment = useExperimentStore()
    experiment.experiment.training.learningRates = Array.from({ length: 64 }, (_, i) => 0.1 + i / 100)
    experiment.experiment.training.epochs = 100_000_000
    const training = useTrainingStore()
    expect(training.train()).toBe(false)
    expect(training.status).toBe('idle')
    expect(training.message).toBe(
      'Not started: the job needs 6.40 billion E_tot values (47.7 GB), more than the 1.00 GB it may use; train fewer epochs or learning rates.'
    )
  })

  it('a job the shell refuses ends at once with the shell’s message: the window never stays "running"', async () => {
    let refuse: (why: string) => void = () => undefined
    host().onRefused = (listener) => ((refuse = (why) => listener({ channel: 'training:pause', message: why })), () => undefined)
    host().train = () => Promise.reject(new Error('Training refused: learningRates[0]: must be a finite number > 0 (got -1).'))
    const training = useTrainingStore()
    training.train()
    expect(training.status).toBe('running')
    await until(() => training.status === 'done')
    expect(training.message).toBe('Training refused: learningRates[0]: must be a finite number > 0 (got -1).')
    expect(training.runs[0].stopReason?.kind).toBe('error')
    // A refused command of a later job is shown too, and ends that job.
    host().train = () => new Promise(() => undefined)
    training.train()
    refuse('invalid request (runId: Invalid type)')
    expect(training.status).toBe('done')
    expect(training.message).toBe('training:pause: invalid request (runId: Invalid type)')
  })
})
