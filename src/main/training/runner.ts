import { cpus } from 'node:os'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { TrainingEvent } from '../../shared/training/protocol'
import { TrainingPool, type WorkerFactory } from '../../shared/training/pool'

/**
 * Heap of one training worker. A run's table lives in ArrayBuffers outside this heap (and is sent
 * away batch by batch); the heap holds the run's configuration (at most 10,000 samples of 512
 * numbers, ~100 MB as JS arrays) and the column layout. A worker past it is ended by V8 with
 * ERR_WORKER_OUT_OF_MEMORY: the run reports an error and the app stays up.
 */
export const WORKER_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 } as const

/** Makes worker threads running the training worker script at `workerPath`. */
export function nodeWorkerFactory(workerPath: string, options?: WorkerOptions): WorkerFactory {
  const limits = options?.resourceLimits ?? WORKER_LIMITS
  return (onEvent, onFailure) => {
    const worker = new Worker(workerPath, { ...options, resourceLimits: limits })
    let ended = false
    const fail = (message: string): void => {
      if (ended) return
      ended = true
      onFailure(message)
    }
    worker.on('message', (event: TrainingEvent) => onEvent(event))
    worker.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it ran out of memory (a worker may use ${limits.maxOldGenerationSizeMb} MB); train a smaller network or fewer samples`
          : error.message
      )
    )
    worker.on('messageerror', (error) => fail(error.message))
    worker.on('exit', (code) => fail(`the worker exited with code ${code}`))
    return {
      post: (command, transfer) => worker.postMessage(command, transfer),
      terminate: () => {
        ended = true
        void worker.terminate()
      },
    }
  }
}

/** The main process's training pool: one worker thread per CPU at most, each within WORKER_LIMITS. */
export function createTrainingRunner(workerPath: string, size = Math.max(1, cpus().length), options?: WorkerOptions): TrainingPool {
  return new TrainingPool(nodeWorkerFactory(workerPath, options), size)
}
