import { cpus } from 'node:os'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { TrainingEvent } from '../../shared/training/protocol'
import { TrainingPool, type WorkerFactory } from '../../shared/training/pool'

/** Makes worker threads running the training worker script at `workerPath`. */
export function nodeWorkerFactory(workerPath: string, options?: WorkerOptions): WorkerFactory {
  return (onEvent, onFailure) => {
    const worker = new Worker(workerPath, options)
    let ended = false
    const fail = (message: string): void => {
      if (ended) return
      ended = true
      onFailure(message)
    }
    worker.on('message', (event: TrainingEvent) => onEvent(event))
    worker.on('error', (error) => fail(error.message))
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

/** The main process's training pool: one worker thread per CPU at most. */
export function createTrainingRunner(workerPath: string, size = Math.max(1, cpus().length), options?: WorkerOptions): TrainingPool {
  return new TrainingPool(nodeWorkerFactory(workerPath, options), size)
}
