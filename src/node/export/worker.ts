import { parentPort, resourceLimits } from 'node:worker_threads'
import { estimateCost, jobOf } from '../../shared/cost'
import { experimentToExport } from '../../shared/export/input'
import { runExportJob } from './job'
import { exportHeapMb } from './limits'
import type { ExportCommand, ExportEvent } from './protocol'

/** The export worker thread: one job, then the runner ends the thread. */
const port = parentPort
if (!port) throw new Error('the export worker must run in a worker thread')

const abort = new AbortController()
const post = (event: ExportEvent): void => port.postMessage(event)
/** Progress is sent when it moves by a thousandth: a few hundred messages for any export. */
let shown = -1

/**
 * Reads the job's document, then either asks for the heap its cost needs (when this thread was
 * started with less: the runner sizes the first worker from the text alone) or runs it.
 */
async function start(command: Extract<ExportCommand, { type: 'start' }>): Promise<void> {
  const { job, heapCapMb } = command
  const experiment = experimentToExport(job.documentText)
  const needMb = exportHeapMb(job.documentText.length, estimateCost(jobOf(experiment)), heapCapMb)
  const haveMb = resourceLimits.maxOldGenerationSizeMb
  if (haveMb !== undefined && haveMb > 0 && needMb > haveMb) return post({ type: 'heap', mb: needMb })
  await runExportJob(job, {
    experiment,
    signal: abort.signal,
    onProgress: (fraction) => {
      const permille = Math.floor(fraction * 1000)
      if (permille === shown) return
      shown = permille
      post({ type: 'progress', fraction })
    },
  })
  post({ type: 'done' })
}

port.on('message', (command: ExportCommand) => {
  if (command.type === 'cancel') {
    abort.abort()
    return
  }
  start(command).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e), cancelled: abort.signal.aborted }))
})
