import * as v from 'valibot'
import type { StopReason } from '../engine/types'
import { FORMAT_VERSION, type Experiment, type Parsed } from '../experiment'

/**
 * The experiment document, format version 3: the configuration (experiment.ts: since version 3
 * with generated data, features, mini-batches, optimizers and regularization) plus who wrote it
 * and when, free-text notes, the results of every run and a content hash. See docs/experiment-format.md.
 */
export const DOCUMENT_VERSION = FORMAT_VERSION
export const DOCUMENT_EXTENSION = '.bplab'
export const APP_NAME = 'Backprop Lab'
/** Kept equal to package.json's version by a test. */
export const APP_VERSION = '0.1.0'

/** Fields that version 2 adds beside the version-1 configuration. */
export const DOCUMENT_FIELDS = ['app', 'created', 'modified', 'notes', 'results', 'hash'] as const

export const STOP_KINDS = ['epochs', 'threshold', 'diverged', 'stopped', 'error'] as const

/** One training run as saved: its learning rate, how it ended, final parameters and E_tot per epoch. */
export interface RunRecord {
  learningRate: number
  stopReason: StopReason
  weights: number[]
  biases: number[]
  /** E_tot of epochs 1..stopReason.epochs. */
  losses: Float64Array
}

export interface ExperimentDocument {
  /** The program that last wrote the file; null for files migrated from version 1. */
  app: { name: string; version: string } | null
  /** ISO 8601 times; null when unknown (version-1 files). */
  created: string | null
  modified: string | null
  notes: string
  /** The configuration; its `version` is the current one (older files are migrated). */
  experiment: Experiment
  /** One per learning rate, in order; empty when nothing was trained. */
  results: RunRecord[]
}

/** What reading a file found besides the document itself. */
export interface ReadInfo {
  /** The format version the file was written in (1 means it was migrated). */
  fileVersion: number
  /** 'missing' for files without a hash (version 1 or hand-written); 'mismatch' when edited outside the app. */
  hash: 'ok' | 'missing' | 'mismatch'
  /** Sentences for the user: migration, hash mismatch. */
  notices: string[]
}

export type ParsedDocument = (Parsed<ExperimentDocument> & { ok: false }) | { ok: true; value: ExperimentDocument; info: ReadInfo }

const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'))
const numbers = v.array(finite, 'must be a list of numbers')
const timestamp = v.nullish(v.pipe(v.string('must be text'), v.isoTimestamp('must be a date and time like 2026-01-31T12:00:00.000Z')), null)

export const RunRecordSchema = v.looseObject(
  {
    learningRate: v.pipe(finite, v.gtValue(0, 'must be > 0')),
    stopReason: v.looseObject(
      {
        kind: v.picklist(STOP_KINDS, `must be one of ${STOP_KINDS.join(', ')}`),
        epochs: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(0, 'must be ≥ 0')),
        message: v.optional(v.string('must be text'), ''),
      },
      'must be an object with a kind and epochs'
    ),
    weights: numbers,
    biases: v.optional(numbers, []),
    // Checked element by element in parse.ts: a valibot pipe per number is slow for a million epochs.
    losses: v.array(v.unknown(), 'must be a list of numbers'),
  },
  'must be an object (one run)'
)

/** The document's own fields; the configuration beside them is checked by the experiment schema. */
export const DocumentFieldsSchema = v.object({
  app: v.nullish(
    v.looseObject({ name: v.string('must be text'), version: v.string('must be text') }, 'must be an object with a name and a version'),
    null
  ),
  created: timestamp,
  modified: timestamp,
  notes: v.optional(v.string('must be text'), ''),
  results: v.optional(v.array(RunRecordSchema, 'must be a list of runs'), []),
  hash: v.optional(v.pipe(v.string('must be text'), v.regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits'))),
})
