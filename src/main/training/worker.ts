import { availableParallelism } from 'node:os'
import { parentPort } from 'node:worker_threads'
import type { TrainingCommand } from '../../shared/training/protocol'
import { createTrainingSession } from '../../shared/training/session'

/** A training worker thread: the shared session, wired to this thread's port. */
const port = parentPort
if (!port) throw new Error('the training worker must run in a worker thread')

const handle = createTrainingSession(
  (event, transfer) => port.postMessage(event, transfer),
  (fn) => setImmediate(fn),
  availableParallelism()
)
port.on('message', (command: TrainingCommand) => handle(command))
