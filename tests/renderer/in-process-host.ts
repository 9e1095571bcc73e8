import { createTrainingSession } from '../../src/shared/training/session'
import type { WorkerFactory } from '../../src/shared/training/pool'
import type { TrainingCommand } from '../../src/shared/training/protocol'
import { createBrowserHost } from '../../src/renderer/src/host/browser-host'
import { setHost } from '../../src/renderer/src/host'
import type { Host } from '../../src/renderer/src/host/host'

/**
 * The core count the in-process sessions are given. A real worker rests after each slice to leave
 * the page its share of a 2-core machine (restAfterSlice); here the session shares the test's own
 * thread, between whose tasks the test runs anyway, so resting would only slow the tests down.
 */
export const IN_PROCESS_CORES = 64

/**
 * Workers that run the real training session in this process: commands and events are cloned
 * and delivered asynchronously, as a Web Worker would, so the stores meet real engine output.
 */
export const inProcessFactory: WorkerFactory = (onEvent) => {
  let alive = true
  const handle = createTrainingSession(
    (event) => {
      const copy = structuredClone(event)
      setTimeout(() => alive && onEvent(copy), 0)
    },
    (fn) => setTimeout(fn, 0),
    IN_PROCESS_CORES
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
