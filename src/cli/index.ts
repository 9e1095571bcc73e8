import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { train, type RunResult } from '../shared/engine/trainer'
import { DOCUMENT_LIMITS, documentFromRuns, parseDocumentText, serializeDocument, type ExperimentDocument } from '../shared/document'
import { defaultExperiment, runConfigs } from '../shared/experiment'
import { parseArgs, UsageError, type TrainArgs } from './args'
import { writeJson } from './write'
import { PrefaultedChunks } from './prefault'
import { exportCsv } from '../main/export/csv'
import { exportXlsx } from '../main/export/xlsx'

/**
 * The command line: the same engine and file validator as the app, under plain Node.
 * Every failure is one line on stderr and exit code 1; no stack traces.
 */
const MAX_FILE_BYTES = DOCUMENT_LIMITS.maxChars

function loadDocument(file: string | null): ExperimentDocument {
  if (!file) return documentFromRuns(defaultExperiment(), [])
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
  return parsed.value
}

export async function main(argv: string[]): Promise<number> {
  let args: TrainArgs
  let doc: ExperimentDocument
  try {
    args = parseArgs(argv)
    doc = loadDocument(args.file)
    const experiment = doc.experiment
    if (args.learningRates) experiment.training.learningRates = args.learningRates
    if (args.epochs) experiment.training.epochs = args.epochs
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
  try {
    const record = Boolean(args.json)
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
    // The exporters read a document's text, as the app hands it over: the experiment as run here
    // (options applied) and the file's notes. No results: they recompute every run.
    const text = serializeDocument(documentFromRuns(doc.experiment, [], { notes: doc.notes, created: doc.created }))
    if (args.csv) {
      await exportCsv({ documentText: text, path: args.csv })
      process.stdout.write(`wrote ${args.csv}\n`)
    }
    if (args.xlsx) {
      await exportXlsx({ documentText: text, path: args.xlsx })
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
