import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, vi } from 'vitest'
import { createTrainingSession } from '../../src/shared/training/session'
import type { WorkerFactory } from '../../src/shared/training/pool'
import type { TrainingCommand } from '../../src/shared/training/protocol'
import { createBrowserHost } from '../../src/renderer/src/host/browser-host'
import { setHost } from '../../src/renderer/src/host'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { simulateCpu } from '../shared/training/simulated-cpu'
import type { Host } from '../../src/renderer/src/host/host'

/**
 * The core count the in-process sessions are given. A real worker rests after each slice to leave
 * the page its share of a 2-core machine (restAfterSlice); here the session shares the test's own
 * thread, between whose tasks the test runs anyway, so resting would only slow the tests down.
 */
const IN_PROCESS_CORES = 64

/** The simulated CPU time of the slice a simulated worker is running now, if any. */
let busy: { ms: number } | null = null

/**
 * Workers that run the real training session in this process: commands and events are cloned
 * and delivered asynchronously, as a Web Worker would, so the stores meet real engine output.
 * Simulated workers (for tests on fake timers, see installSimulatedHost) also give the session a
 * clock on which a slice's epochs take SIMULATED_EPOCHS_PER_MS; what the slice sends, and the
 * next slice, come after them.
 */
function inProcessWorkers(simulated: boolean): WorkerFactory {
  return (onEvent) => {
    let alive = true
    const cpu = { ms: 0 }
    const handle = createTrainingSession(
      (event) => {
        const copy = structuredClone(event)
        setTimeout(() => alive && onEvent(copy), cpu.ms)
      },
      (fn) =>
        setTimeout(() => {
          if (!alive) return
          if (simulated) busy = cpu
          try {
            fn()
          } finally {
            busy = null
            cpu.ms = 0
          }
        }, cpu.ms),
      IN_PROCESS_CORES,
      simulated ? () => performance.now() + cpu.ms : undefined
    )
    return {
      post: (command: TrainingCommand) => {
        const copy = structuredClone(command)
        setTimeout(() => alive && handle(copy), 0)
      },
      terminate: () => {
        alive = false
      },
    }
  }
}

export const inProcessFactory = inProcessWorkers(false)

/** The browser host with in-process workers, installed as the app's host. */
export function installTestHost(): Host {
  const host = createBrowserHost({ factory: inProcessFactory, storage: window.localStorage, cores: 2 })
  setHost(host)
  return host
}

export function until(condition: () => boolean, timeout = 20_000): Promise<void> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve()
      else if (Date.now() - started > timeout) reject(new Error('condition not met in time'))
      else setTimeout(check, 5)
    }
    check()
  })
}

/** Epochs a simulated worker trains per millisecond of fake time. */
export const SIMULATED_EPOCHS_PER_MS = 100

/**
 * The browser host with simulated workers, for tests on fake timers (vi.useFakeTimers with
 * 'performance' faked): the real session and engine, on a machine that trains
 * SIMULATED_EPOCHS_PER_MS, so batches, pauses and redraws happen at simulated times that do not
 * depend on the machine running the test. Nothing moves until the test moves the clock (see
 * advanceUntil); vi.restoreAllMocks() removes the engine's timing hook.
 */
export function installSimulatedHost(): Host {
  simulateCpu(SIMULATED_EPOCHS_PER_MS, (ms) => {
    if (busy) busy.ms += ms
  })
  const host = createBrowserHost({ factory: inProcessWorkers(true), storage: window.localStorage, cores: 2 })
  setHost(host)
  return host
}

/**
 * The hooks of tests that train on simulated time: before each, fake timers, fresh stores, frames
 * as timeouts and the simulated host; after each, the job reset and the real timers and mocks back.
 * Returns the current test's host.
 */
export function useSimulatedTraining(): () => Host {
  let host: Host
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    setActivePinia(createPinia())
    setFrameScheduler((fn) => setTimeout(fn, 0))
    host = installSimulatedHost()
  })
  afterEach(() => {
    useTrainingStore().reset()
    vi.useRealTimers()
    vi.restoreAllMocks()
  })
  return () => host
}

/** Moves the fake clock on a millisecond at a time until `condition` holds (at most `limitMs`). */
export async function advanceUntil(condition: () => boolean, limitMs = 60_000): Promise<void> {
  for (let ms = 0; !condition(); ms++) {
    if (ms >= limitMs) throw new Error(`condition not met in ${limitMs} ms of simulated time`)
    await vi.advanceTimersByTimeAsync(1)
  }
}
