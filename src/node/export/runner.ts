import { Worker, type WorkerOptions } from 'node:worker_threads'
import { abortError } from '../../shared/export/input'
import type { ExportJob } from './job'
import { EXPORT_HEAP, exportHeapMb } from './limits'
import type { ExportCommand, ExportEvent } from './protocol'
import { removeOwnTemps } from '../files/atomic-target'

/**
 * Runs an export in its own worker thread (worker.ts), so the Electron main thread only relays
 * progress. Cancel asks the worker to stop (the writer removes its temp file); a worker that has not
 * stopped within `graceMs` (a long synchronous step) is terminated and its temp file removed here.
 * (Temp files of killed processes are removed by the atomic writer's next write to the folder.)
 *
 * The worker runs with `resourceLimits` (limits.ts): the first is sized from the document's text,
 * the only thing main knows without parsing it (a 128 MB document parses for seconds, which would
 * freeze every window); when the worker finds that the job's cost needs more, it says so before any
 * work and a worker of that size (at most `heapCapMb`) runs it. A worker past its heap is ended by
 * V8: the export fails with a message saying so, its temp file is removed, and main stays up.
 */
export interface ExportRunOptions {
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export type ExportRunner = (job: ExportJob, options?: ExportRunOptions) => Promise<void>

export interface ExportRunnerSettings {
  /** Ends a worker that has not stopped this long after Cancel. */
  graceMs?: number
  /** The most heap an export's worker may have (MB). */
  heapCapMb?: number
}

type Outcome = { heapMb: number } | null

export function createExportRunner(workerPath: string, workerOptions?: WorkerOptions, settings: ExportRunnerSettings = {}): ExportRunner {
  const { graceMs = 2000, heapCapMb = EXPORT_HEAP.capMb } = settings
  /** One worker of `heapMb`: null when the export ended, or the heap the worker asked for instead. */
  const runIn = (job: ExportJob, heapMb: number, { onProgress, signal }: ExportRunOptions): Promise<Outcome> => {
    const limits = { maxOldGenerationSizeMb: heapMb } // the young generation V8 derives from it
    const worker = new Worker(workerPath, { ...workerOptions, resourceLimits: limits })
    return new Promise<Outcome>((resolve, reject) => {
      let settled = false
      let killTimer: ReturnType<typeof setTimeout> | undefined
      const finish = (error?: Error, outcome: Outcome = null): void => {
        if (settled) return
        settled = true
        clearTimeout(killTimer)
        signal?.removeEventListener('abort', onAbort)
        void worker.terminate().then(async () => {
          if (!error) return resolve(outcome)
          await removeOwnTemps(job.path) // a terminated worker could not remove its own
          reject(error)
        })
      }
      const onAbort = (): void => {
        post({ type: 'cancel' })
        killTimer = setTimeout(() => finish(abortError()), graceMs)
      }
      const post = (command: ExportCommand): void => worker.postMessage(command)
      signal?.addEventListener('abort', onAbort, { once: true })
      worker.on('message', (event: ExportEvent) => {
        if (event.type === 'progress') onProgress?.(event.fraction)
        else if (event.type === 'heap') finish(undefined, { heapMb: event.mb })
        else if (event.type === 'done') finish()
        else finish(event.cancelled ? abortError() : new Error(event.message))
      })
      worker.on('error', (e: Error & { code?: string }) =>
        finish(
          new Error(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `The export ran out of memory (an export may use ${heapMb} MB). Nothing was written; export fewer epochs, learning rates or samples.`
              : `The export failed: ${e.message}`
          )
        )
      )
      worker.on('exit', (code) => finish(new Error(`The export stopped unexpectedly (exit code ${code}).`)))
      post({ type: 'start', job, heapCapMb })
    })
  }
  return async (job, options = {}) => {
    if (options.signal?.aborted) throw abortError()
    const first = await runIn(job, exportHeapMb(job.documentText.length, undefined, heapCapMb), options)
    if (!first) return
    if (options.signal?.aborted) throw abortError()
    const second = await runIn(job, Math.min(first.heapMb, heapCapMb), options)
    if (second) throw new Error(`The export needs ${second.heapMb} MB of memory, more than the worker was given.`)
  }
}
