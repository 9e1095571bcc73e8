import type { Cost } from '../../shared/cost'

/**
 * The export worker's heap (`resourceLimits`), sized from the job before it runs. What grows in the
 * heap is the document (its text and the parsed experiment: a text of numbers parses to a few
 * times its size) and the epoch table's width (the column names, and a row's cells while the
 * xlsx/CSV writer formats it); the recorded numbers are in ArrayBuffers outside the heap, bounded by
 * the export budget (shared/cost.ts). Capped, so that no document can make one export take the
 * machine: a worker past its heap is ended by V8 and the export reported as out of memory.
 */
export const EXPORT_HEAP = {
  /** The worker's own code (exceljs, the engine), a chunk of rows being written and the chart. */
  baseMb: 256,
  /** Heap per byte of the document's text while it is parsed and validated. */
  perTextByte: 8,
  /** Heap per column of the epoch table: its name and a formatted cell of the row being written. */
  perColumn: 256,
  capMb: 3072,
} as const

const MB = 1024 ** 2

/** The heap an export needs (MB), from the size of its document's text and, once known, its cost. */
export function exportHeapMb(textBytes: number, cost?: Pick<Cost, 'columns'>, capMb: number = EXPORT_HEAP.capMb): number {
  const bytes = textBytes * EXPORT_HEAP.perTextByte + (cost ? cost.columns * EXPORT_HEAP.perColumn : 0)
  return Math.min(capMb, EXPORT_HEAP.baseMb + Math.ceil(bytes / MB))
}
