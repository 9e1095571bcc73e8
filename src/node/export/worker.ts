import { parentPort } from 'node:worker_threads'
import { runExportJob } from './job'
import type { ExportCommand, ExportEvent } from './protocol'

/** The export worker thread: one job, then the runner ends the thread. */
const port = parentPort
if (!port) throw new Error('the export worker must run in a worker thread')

const abort = new AbortController()
const post = (event: ExportEvent): void => port.postMessage(event)
/** Progress is sent when it moves by a thousandth: a few hundred messages for any export. */
let shown = -1

port.on('message', (command: ExportCommand) => {
  if (command.type === 'cancel') {
    abort.abort()
    return
  }
  runExportJob(command.job, {
    signal: abort.signal,
    onProgress: (fraction) => {
      const permille = Math.floor(fraction * 1000)
      if (permille === shown) return
      shown = permille
      post({ type: 'progress', fraction })
    },
  }).then(
    () => post({ type: 'done' }),
    (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e), cancelled: abort.signal.aborted })
  )
})
