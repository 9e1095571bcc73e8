import { Worker, type WorkerOptions } from 'node:worker_threads'
import { abortError } from '../../shared/export/input'
import type { ExportJob } from './job'
import type { ExportCommand, ExportEvent } from './protocol'
import { removeOwnTemps } from '../files/atomic-target'

/**
 * Runs an export in its own worker thread (worker.ts), so the Electron main thread only relays
 * progress. Cancel asks the worker to stop (the writer removes its temp file); a worker that has not
 * stopped within `graceMs` (a long synchronous step) is terminated and its temp file removed here.
 * (Temp files of killed processes are removed by the atomic writer's next write to the folder.)
 */
export interface ExportRunOptions {
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export type ExportRunner = (job: ExportJob, options?: ExportRunOptions) => Promise<void>

export function createExportRunner(workerPath: string, workerOptions?: WorkerOptions, graceMs = 2000): ExportRunner {
  return async (job, { onProgress, signal } = {}) => {
    if (signal?.aborted) throw abortError()
    const worker = new Worker(workerPath, workerOptions)
    await new Promise<void>((resolve, reject) => {
      let settled = false
      let killTimer: ReturnType<typeof setTimeout> | undefined
      const finish = (error?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(killTimer)
        signal?.removeEventListener('abort', onAbort)
        void worker.terminate().then(async () => {
          if (!error) return resolve()
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
        else if (event.type === 'done') finish()
        else finish(event.cancelled ? abortError() : new Error(event.message))
      })
      worker.on('error', (e) => finish(new Error(`The export failed: ${e.message}`)))
      worker.on('exit', (code) => finish(new Error(`The export stopped unexpectedly (exit code ${code}).`)))
      post({ type: 'start', job })
    })
  }
}
