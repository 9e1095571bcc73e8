import type { ExportJob } from './job'

/**
 * Messages between the export runner (main thread) and the export worker thread. `heapCapMb`: the
 * most heap the runner would give this job; a worker whose job needs more heap than it has (up to
 * that cap) answers `heap` with what it needs and does nothing else (runner.ts).
 */
export type ExportCommand = { type: 'start'; job: ExportJob; heapCapMb: number } | { type: 'cancel' }
export type ExportEvent =
  | { type: 'progress'; fraction: number }
  | { type: 'heap'; mb: number }
  | { type: 'done' }
  | { type: 'error'; message: string; cancelled: boolean }
