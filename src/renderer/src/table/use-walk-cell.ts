import { computed, watch, type ComputedRef } from 'vue'
import type { RunView } from '../stores/training'
import { useWalkStore } from '../stores/walkthrough'

/**
 * The epoch-table cell the walk-through's current step produces (the walked epoch's row, or the
 * next row for an update), as a layout column; `show` is called to scroll it into view whenever
 * the step changes.
 */
export function useWalkCell(run: ComputedRef<RunView | null>, show: (row: number, column: number) => void) {
  const walk = useWalkStore()
  const cell = computed(() => {
    const c = walk.open ? walk.cell : null
    const col = c && run.value ? run.value.layout.names.indexOf(c.column) : -1
    return c && col >= 0 ? { row: c.row, col } : null
  })
  // Keyed by place: new rows arriving while walking must not scroll the table back each time.
  watch(
    () => cell.value && `${cell.value.row}:${cell.value.col}`,
    () => cell.value && show(cell.value.row, cell.value.col),
    { flush: 'post' }
  )
  const isWalkCell = (row: number, column: number): boolean => cell.value?.row === row && cell.value.col === column
  return { isWalkCell }
}
