import type { ExportJob } from './job'

/** Messages between the export runner (main thread) and the export worker thread. */
export type ExportCommand = { type: 'start'; job: ExportJob } | { type: 'cancel' }
export type ExportEvent = { type: 'progress'; fraction: number } | { type: 'done' } | { type: 'error'; message: string; cancelled: boolean }
