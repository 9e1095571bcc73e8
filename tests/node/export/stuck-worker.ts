import { parentPort } from 'node:worker_threads'
import { openPartial } from '../../../src/node/export/partial-file'
import type { ExportCommand } from '../../../src/node/export/protocol'

/**
 * An export worker stuck in a step that never ends (for the runner's test): it opens its partial
 * file as a real export does, reports progress once, then never takes another message.
 */
const port = parentPort!
port.on('message', async (command: ExportCommand) => {
  if (command.type !== 'start') return
  await openPartial(command.job.path)
  port.postMessage({ type: 'progress', fraction: 0.01 })
  setImmediate(() => {
    for (;;);
  })
})
