import * as v from 'valibot'
import { ACTIVATIONS, BIAS_MODES, LOSSES, OPTIMIZER_KINDS, REGULARIZATION_KINDS } from './engine/types'
import { THEMES, type Theme } from './theme'
import { LIMITS, MAX_BIASES, MAX_WEIGHTS } from './limits'
import type { PresetId } from './presets'
import { MAX_PACE, type TrainingEvent } from './training/protocol'

export type { Theme }

/**
 * The one IPC contract between the Electron main process and the preload. Channels are named
 * `domain:verb` from the keys below, by `channelName` — no other file spells a channel name.
 * Every request the main process receives is checked against its schema here.
 */

/** What the app last read or wrote of a file: Save compares it with the disk to notice other programs' edits. */
export interface FileStamp {
  size: number
  mtimeMs: number
  /** SHA-256 of the bytes, hex. */
  sha256: string
}
export interface OpenedFile {
  name: string
  path: string | null
  text: string
  /** Desktop only. */
  stamp?: FileStamp | null
}
export interface SavedFile {
  name: string
  path: string | null
  stamp?: FileStamp | null
}
/** The answer to "the file was changed by another program" before a save. */
export type SaveConflictChoice = 'overwrite' | 'reload' | 'save-as' | 'cancel'
/** Save found the file changed by another program and the user chose to load that version instead. */
export interface ReloadedInstead {
  reloaded: OpenedFile
}
/** A recovery copy of an earlier session; `disk` is the stamp of its document's file now (desktop only). */
export interface RecoveryCopy {
  id: string
  text: string
  disk?: FileStamp | null
}
/** A student's workbook for the spreadsheet checker (src/shared/check), at most SPREADSHEET_MAX_BYTES. */
export interface OpenedSpreadsheet {
  name: string
  bytes: Uint8Array
}
export interface RecentFile {
  path: string
  name: string
  exists: boolean
}

export const MENU_COMMANDS = [
  'new',
  'open',
  'save',
  'save-as',
  'export-xlsx',
  'export-csv',
  'train',
  'pause-resume',
  'step',
  'step-10',
  'stop',
  'reset',
  'open-example',
  'undo',
  'redo',
  'help',
  'check-spreadsheet',
] as const
/**
 * A menu command: one of the above, or File › New from Preset's `preset:<id>`. The preset ids are
 * imported as a type only: the sandboxed preload bundles this file, and the presets' module reads
 * documents (and their hashing library), which a sandboxed preload cannot require.
 */
export type MenuCommand = (typeof MENU_COMMANDS)[number] | `preset:${PresetId}`


// A document is at most LIMITS.maxFileBytes of UTF-8; a string has at most as many characters as
// its UTF-8 has bytes, so this bounds the text before the file service counts its bytes.
const MAX_TEXT = LIMITS.maxFileBytes
const finite = v.pipe(v.number(), v.finite())
const numbers = (max: number) => v.pipe(v.array(v.unknown()), v.maxLength(max), v.array(finite))
const epochs = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.maxEpochs))
const runId = v.pipe(v.number(), v.integer(), v.minValue(0))
/** Epochs a second a job is held to; 0 is full speed. */
const pace = v.pipe(finite, v.minValue(0), v.maxValue(MAX_PACE))
const text = v.pipe(v.string(), v.maxLength(MAX_TEXT))
const path = v.pipe(v.string(), v.minLength(1), v.maxLength(4096))
export const FileStampSchema = v.strictObject({
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  mtimeMs: finite,
  sha256: v.pipe(v.string(), v.regex(/^([0-9a-f]{64})?$/)),
})
/** `recovery` or `recovery-<id>`: names a copy in the app's data folder, never a path. */
export const RECOVERY_ID = /^recovery(-[0-9a-z-]{1,40})?$/
const recoveryId = v.pipe(v.string(), v.regex(RECOVERY_ID))
/** A file dropped on the window: an absolute path (POSIX or Windows) to a .bplab or .json file. */
const droppedPath = v.pipe(
  path,
  v.regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path'),
  v.regex(/\.(bplab|json)$/i, 'must end in .bplab or .json')
)

const sampleList = v.pipe(
  v.array(v.unknown()),
  v.maxLength(LIMITS.maxSamples),
  v.array(v.strictObject({ inputs: numbers(LIMITS.maxNeurons), targets: numbers(LIMITS.maxNeurons) }))
)

/**
 * What every run of a training job shares: a run configuration without its learning rate. Sent
 * once with the job's learning rates, so 64 rates of 10,000 wide samples cross IPC as one copy.
 * The limits are the file format's (LIMITS); main then runs the engine's own validator on it.
 */
export const JobConfigSchema = v.strictObject({
  network: v.strictObject({
    layers: v.pipe(v.array(v.unknown()), v.maxLength(LIMITS.maxLayers), v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.maxNeurons)))),
    activations: v.pipe(v.array(v.unknown()), v.maxLength(LIMITS.maxLayers - 1), v.array(v.picklist(ACTIVATIONS))),
    bias: v.picklist(BIAS_MODES),
  }),
  loss: v.picklist(LOSSES),
  samples: sampleList,
  test: sampleList,
  weights: numbers(MAX_WEIGHTS),
  biases: numbers(MAX_BIASES),
  batchSize: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxSamples)),
  shuffleSeed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxSeed)),
  optimizer: v.strictObject({ kind: v.picklist(OPTIMIZER_KINDS), momentum: finite, rho: finite, beta1: finite, beta2: finite, epsilon: finite }),
  regularization: v.strictObject({ kind: v.picklist(REGULARIZATION_KINDS), rate: finite }),
  epochs,
  stopBelow: finite,
})
const learningRates = v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(LIMITS.maxLearningRates), v.array(v.pipe(finite, v.gtValue(0))))

export const ExportRequestSchema = v.strictObject({
  documentText: text,
  suggestedName: v.pipe(v.string(), v.maxLength(255)),
  chartPng: v.optional(v.pipe(v.string(), v.startsWith('data:image/png;base64,'), v.maxLength(64 * 1024 * 1024))),
})
export type ExportRequest = v.InferOutput<typeof ExportRequestSchema>

const none = v.undefined()

/** Renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export const invokeSchemas = {
  training: {
    // Answered, so that a refused job reaches the window as an error instead of "running" forever.
    start: v.strictObject({
      runId,
      job: v.strictObject({ config: JobConfigSchema, learningRates }),
      options: v.strictObject({ record: v.boolean(), paused: v.optional(v.boolean()), pace: v.optional(pace) }),
    }),
  },
  experiment: {
    open: none,
    openRecent: v.strictObject({ path }),
    openPath: v.strictObject({ path: droppedPath }),
    recent: none,
    save: v.strictObject({
      text,
      path: v.nullable(path),
      suggestedName: v.pipe(v.string(), v.maxLength(255)),
      /** What the window last read or wrote of `path`; null when it never did. */
      base: v.optional(v.nullable(FileStampSchema)),
    }),
  },
  export: {
    xlsx: ExportRequestSchema,
    csv: ExportRequestSchema,
  },
  spreadsheet: {
    open: none,
  },
  autosave: {
    write: v.strictObject({ text }),
    take: none,
    discard: v.strictObject({ id: recoveryId }),
  },
} as const

export interface InvokeResponses {
  training: { start: void }
  experiment: { open: OpenedFile | null; openRecent: OpenedFile; openPath: OpenedFile; recent: RecentFile[]; save: SavedFile | ReloadedInstead | null }
  export: { xlsx: SavedFile | null; csv: SavedFile | null }
  spreadsheet: { open: OpenedSpreadsheet | null }
  autosave: { write: void; take: RecoveryCopy | null; discard: void }
}

/** Renderer → main, not answered (ipcRenderer.send / ipcMain.on). */
export const sendSchemas = {
  training: {
    pause: v.strictObject({ runId }),
    resume: v.strictObject({ runId }),
    step: v.strictObject({ runId, epochs }),
    stop: v.strictObject({ runId }),
    pace: v.strictObject({ runId, epochsPerSecond: pace }),
  },
  export: {
    cancel: none,
  },
  document: {
    state: v.strictObject({
      title: v.pipe(v.string(), v.maxLength(1024)),
      name: v.pipe(v.string(), v.maxLength(1024)),
      dirty: v.boolean(),
    }),
  },
  view: {
    theme: v.strictObject({ theme: v.picklist(THEMES) }),
  },
} as const

/** A message main refused (untrusted sender, invalid payload): the window shows it, nothing is dropped silently. */
export interface RefusedRequest {
  channel: string
  message: string
}

/** Main → renderer (webContents.send / ipcRenderer.on). */
export interface MainEvents {
  training: { event: TrainingEvent }
  ipc: { refused: RefusedRequest }
  menu: { command: MenuCommand }
  file: { opened: OpenedFile }
  export: { progress: number }
  view: { theme: Theme }
}
export const mainEvents: { [D in keyof MainEvents]: (keyof MainEvents[D])[] } = {
  training: ['event'],
  ipc: ['refused'],
  menu: ['command'],
  file: ['opened'],
  export: ['progress'],
  view: ['theme'],
}

type Invoke = typeof invokeSchemas
type Send = typeof sendSchemas
export type InvokeDomain = keyof Invoke
export type InvokeVerb<D extends InvokeDomain> = keyof Invoke[D] & string
export type InvokeRequest<D extends InvokeDomain, V extends InvokeVerb<D>> = Invoke[D][V] extends v.GenericSchema
  ? v.InferOutput<Invoke[D][V]>
  : never
export type InvokeResponse<D extends InvokeDomain, V extends InvokeVerb<D>> = V extends keyof InvokeResponses[D]
  ? InvokeResponses[D][V]
  : never
export type SendDomain = keyof Send
export type SendVerb<D extends SendDomain> = keyof Send[D] & string
export type SendRequest<D extends SendDomain, V extends SendVerb<D>> = Send[D][V] extends v.GenericSchema
  ? v.InferOutput<Send[D][V]>
  : never
export type EventDomain = keyof MainEvents
export type EventVerb<D extends EventDomain> = keyof MainEvents[D] & string
export type EventPayload<D extends EventDomain, V extends EventVerb<D>> = MainEvents[D][V]

// Every invoke channel has a response type, and no response type lacks a channel.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false
const responsesMatch: SameKeys<Invoke, InvokeResponses> &
  SameKeys<Invoke['training'], InvokeResponses['training']> &
  SameKeys<Invoke['experiment'], InvokeResponses['experiment']> &
  SameKeys<Invoke['export'], InvokeResponses['export']> &
  SameKeys<Invoke['spreadsheet'], InvokeResponses['spreadsheet']> &
  SameKeys<Invoke['autosave'], InvokeResponses['autosave']> = true
void responsesMatch

export function channelName(domain: string, verb: string): string {
  return `${domain}:${verb}`
}

function names(table: Record<string, Record<string, unknown> | string[]>): string[] {
  return Object.entries(table).flatMap(([domain, verbs]) =>
    (Array.isArray(verbs) ? verbs : Object.keys(verbs)).map((verb) => channelName(domain, verb))
  )
}

/** Every channel of the contract, by kind. */
export function allChannels(): { invoke: string[]; send: string[]; events: string[] } {
  return { invoke: names(invokeSchemas), send: names(sendSchemas), events: names(mainEvents as Record<string, string[]>) }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string }

/** Checks a request against its channel's schema. */
export function checkRequest<T>(schema: v.GenericSchema<unknown, T>, payload: unknown): Checked<T> {
  const result = v.safeParse(schema, payload)
  if (result.success) return { ok: true, value: result.output }
  const issue = result.issues[0]
  const where = v.getDotPath(issue) ?? 'request'
  return { ok: false, error: `${where}: ${issue.message}` }
}
