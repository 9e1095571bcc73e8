import { vi } from 'vitest'
import { createBrowserHost } from '../../src/renderer/src/host/browser-host'
import { setHost } from '../../src/renderer/src/host'
import type { Host } from '../../src/renderer/src/host/host'
import { Trainer } from '../../src/shared/engine/trainer'
import type { WorkerFactory } from '../../src/shared/training/pool'
import type { TrainingCommand } from '../../src/shared/training/protocol'
import { createTrainingSession } from '../../src/shared/training/session'
import { IN_PROCESS_CORES } from './in-process-host'

/**
 * In-process workers for tests on fake timers (vi.useFakeTimers with 'performance' faked): the real
 * training session and engine, on a simulated machine that trains SIMULATED_EPOCHS_PER_MS epochs
 * per millisecond of fake time. A slice's epochs take that long on the fake clock (the session's
 * own clock includes them, and its next slice, like the events it sends, comes after them), so
 * batches, pauses and redraws happen at simulated times that do not depend on the machine running
 * the test. Nothing moves until the test moves the clock (see `advanceUntil`).
 */
export const SIMULATED_EPOCHS_PER_MS = 100

/** The simulated CPU time of the slice running now, if any. */
let busy: { ms: number } | null = null

const simulatedFactory: WorkerFactory = (onEvent) => {
  let alive = true
  const cpu = { ms: 0 }
  const handle = createTrainingSession(
    (event) => {
      const copy = structuredClone(event)
      setTimeout(() => alive && onEvent(copy), cpu.ms)
    },
    // Scheduled from inside a slice: the next slice starts when this one's epochs are done.
    (fn) =>
      setTimeout(() => {
        busy = cpu
        try {
          if (alive) fn()
        } finally {
          busy = null
          cpu.ms = 0
        }
      }, cpu.ms),
    IN_PROCESS_CORES,
    () => performance.now() + cpu.ms
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

/**
 * Installs the browser host with simulated workers as the app's host. Call after vi.useFakeTimers;
 * vi.restoreAllMocks() undoes the engine's timing hook.
 */
export function installSimulatedHost(): Host {
  const realStep = Trainer.prototype.step
  vi.spyOn(Trainer.prototype, 'step').mockImplementation(function (this: Trainer, maxEpochs?: number) {
    const ran = realStep.call(this, maxEpochs)
    if (busy) busy.ms += ran / SIMULATED_EPOCHS_PER_MS
    return ran
  })
  const host = createBrowserHost({ factory: simulatedFactory, storage: window.localStorage, cores: 2 })
  setHost(host)
  return host
}

/** Moves the fake clock on a millisecond at a time until `condition` holds (at most `limitMs`). */
export async function advanceUntil(condition: () => boolean, limitMs = 60_000): Promise<void> {
  for (let ms = 0; !condition(); ms++) {
    if (ms >= limitMs) throw new Error(`condition not met in ${limitMs} ms of simulated time`)
    await vi.advanceTimersByTimeAsync(1)
  }
}
