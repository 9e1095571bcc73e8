import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { train, type RunResult } from '../shared/engine/trainer'
import { DOCUMENT_LIMITS, parseDocumentText } from '../shared/document'
import { defaultExperiment, runConfigs, type Experiment } from '../shared/experiment'
import { parseArgs, UsageError, type TrainArgs } from './args'
import { writeCsv, writeJson } from './write'
import { exportXlsx } from '../main/export/xlsx'

/**
 * The command line: the same engine and file validator as the app, under plain Node.
 * Every failure is one line on stderr and exit code 1; no stack traces.
 */
const MAX_FILE_BYTES = DOCUMENT_LIMITS.maxChars

function loadExperiment(file: string | null): Experiment {
  if (!file) return defaultExperiment()
  let size: number
  try {
    size = statSync(file).size
  } catch {
    throw new UsageError(`${file}: no such file`)
  }
  if (size > MAX_FILE_BYTES) throw new UsageError(`${file}: ${Math.round(size / 1048576)} MB is larger than an experiment file can be (${MAX_FILE_BYTES / 1048576} MB)`)
  // Every format version (.bplab documents and version-1 .json), through the app's validator.
  const parsed = parseDocumentText(readFileSync(file, 'utf8'))
  if (!parsed.ok) throw new UsageError(`${basename(file)}: ${parsed.error}`)
  return parsed.value.experiment
}

export async function main(argv: string[]): Promise<number> {
  let args: TrainArgs
  let experiment: Experiment
  try {
    args = parseArgs(argv)
    experiment = loadExperiment(args.file)
    if (args.learningRates) experiment.training.learningRates = args.learningRates
    if (args.epochs) experiment.training.epochs = args.epochs
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
  try {
    const record = Boolean(args.csv || args.json)
    const runs: RunResult[] = runConfigs(experiment).map((config) => train(config, { record }))
    for (const run of runs) {
      const last = run.losses.length ? run.losses[run.losses.length - 1] : NaN
      process.stdout.write(`η = ${run.config.learningRate}: ${run.stopReason.message} E_tot = ${last}\n`)
    }
    if (args.csv) for (const f of writeCsv(args.csv, runs)) process.stdout.write(`wrote ${f}\n`)
    if (args.json) {
      writeJson(args.json, runs)
      process.stdout.write(`wrote ${args.json}\n`)
    }
    if (args.xlsx) {
      // The exporter recomputes the runs from the experiment itself (the engine is deterministic).
      await exportXlsx({ experimentText: JSON.stringify(experiment), path: args.xlsx })
      process.stdout.write(`wrote ${args.xlsx}\n`)
    }
    return 0
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
}

const isEntry = process.argv[1] && /cli[\\/]index\.[cm]?[jt]s$/.test(process.argv[1])
if (isEntry) void main(process.argv.slice(2)).then((code) => (process.exitCode = code))
