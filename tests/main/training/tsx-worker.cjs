/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bootstrap: tsx hooks require(), so it loads the worker with require() */
// Runs a TypeScript worker file in a worker thread through tsx, so the runner tests use the real
// worker source, not a build. workerData.entry is the .ts file; workerData.crashOn makes the
// thread fail on purpose (for the failure tests): 'throw' throws, 'exit' exits, on a start
// command whose config.epochs equals workerData.crashEpochs.
const { parentPort, workerData } = require('node:worker_threads')
require('tsx/cjs/api').register()

if (workerData.crashOn) {
  parentPort.on('message', (command) => {
    if (command.type !== 'start' || command.config.epochs !== workerData.crashEpochs) return
    if (workerData.crashOn === 'exit') process.exit(3)
    setImmediate(() => {
      throw new Error('deliberate failure in the worker')
    })
  })
}
require(workerData.entry)
