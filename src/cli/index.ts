import { train, type RunResult } from '../shared/engine/trainer'
import { estimateCost, jobOf, recordPlan } from '../shared/cost'
import { documentFromRuns, parseDocumentText, type ExperimentDocument } from '../shared/document'
import type { TrainedRun } from '../shared/export/input'
import { defaultExperiment, runConfigs } from '../shared/experiment'
import { readExperimentText } from '../node/files/experiment-files'
import { parseArgs, UsageError, type TrainArgs } from './args'
import { writeJson } from './write'
import { PrefaultedChunks } from './prefault'
import { exportCsv } from '../node/export/csv'
import { exportXlsx } from '../node/export/xlsx'
import { runCheck } from './check'

/**
 * The command line: the same engine and file validator as the app, under plain Node.
 * Every failure is one line on stderr and exit code 1; no stack traces.
 */
/**
 * The app's own open path (regular files only, the byte limit checked before reading, every format
 * version through the app's validator): a FIFO or /dev/zero is refused before it is read.
 */
async function loadDocument(file: string | null): Promise<ExperimentDocument> {
  if (!file) return documentFromRuns(defaultExperiment(), [])
  const { name, text } = await readExperimentText(file)
  const parsed = parseDocumentText(text)
  if (!parsed.ok) throw new UsageError(`Could not open "${name}": ${parsed.error}.`)
  return parsed.value
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'check') return runCheck(argv.slice(1))
  let args: TrainArgs
  let doc: ExperimentDocument
  try {
    args = parseArgs(argv)
    doc = await loadDocument(args.file)
    const experiment = doc.experiment
    if (args.learningRates) experiment.training.learningRates = args.learningRates
    if (args.epochs) experiment.training.epochs = args.epochs
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
  // The cost before the work: --json, --csv and --xlsx keep every column of every epoch in memory
  // (each run is trained once, and every file is written from it).
  const recordFlag = args.json ? '--json' : args.csv ? '--csv' : args.xlsx ? '--xlsx' : null
  const plan = recordPlan(estimateCost(jobOf(doc.experiment)), recordFlag !== null)
  const refused = !plan.ok ? plan.error : plan.note ? `${recordFlag}: ${plan.note.replace(/^Only E_tot is recorded: /, '')} Train fewer epochs or leave out ${recordFlag}` : null
  if (refused) {
    process.stderr.write(`error: ${refused}\n`)
    return 1
  }
  try {
    // Each run is trained once: what is printed and every file written come from the same runs.
    const record = Boolean(args.json || args.csv || args.xlsx)
    const chunks = record ? new PrefaultedChunks() : null
    const runs: RunResult[] = runConfigs(doc.experiment).map((config) => train(config, { record, allocate: chunks?.allocate }))
    await chunks?.close()
    for (const run of runs) {
      const last = run.losses.length ? run.losses[run.losses.length - 1] : NaN
      process.stdout.write(`η = ${run.config.learningRate}: ${run.stopReason.message} E_tot = ${last}\n`)
    }
    if (args.json) {
      await writeJson(args.json, runs)
      process.stdout.write(`wrote ${args.json}\n`)
    }
    const trained = runs as TrainedRun[] // recorded: every table is there
    if (args.csv) {
      await exportCsv({ runs: trained, path: args.csv })
      process.stdout.write(`wrote ${args.csv}\n`)
    }
    if (args.xlsx) {
      await exportXlsx({ input: { experiment: doc.experiment, runs: trained }, path: args.xlsx })
      process.stdout.write(`wrote ${args.xlsx}\n`)
    }
    return 0
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
}

/** A reader that went away (`| head -1`) ends the program quietly: it has all it wanted. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    process.exitCode = 1
  })
}

const isEntry = process.argv[1] && /cli[\\/]index\.[cm]?[jt]s$/.test(process.argv[1])
if (isEntry) {
  quietOnClosedPipe(process.stdout)
  // Whatever was not foreseen is still one line, never a stack trace.
  process.on('uncaughtException', (e) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  })
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code))
}
