import { createTrainingSession } from '@shared/training/session'
import type { TrainingCommand } from '@shared/training/protocol'

// The browser edition's training worker: the shared session, wrapped in the Web Worker API.
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void
  onmessage: ((e: MessageEvent<TrainingCommand>) => void) | null
}
const scope = self as unknown as WorkerScope
const channel = new MessageChannel()
const pending: (() => void)[] = []
channel.port1.onmessage = () => pending.shift()?.()

const handle = createTrainingSession(
  (event, transfer) => scope.postMessage(event, transfer),
  (fn) => {
    pending.push(fn)
    channel.port2.postMessage(null)
  },
  navigator.hardwareConcurrency
)
scope.onmessage = (e: MessageEvent<TrainingCommand>) => handle(e.data)
