import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import type { CellRange } from './selection'

/** A cell of the table: row, and shown-column index (−1: the epoch cell, i.e. the whole row). */
export interface Cell {
  row: number
  col: number
}

/**
 * Spreadsheet-style selection: click, Shift+click, drag, and keyboard moves that extend with Shift.
 * `onFocus` hears of every cell that becomes the focus (the table selects its epoch and parameter).
 */
export function useCellSelection(rowCount: Ref<number>, columnCount: Ref<number>, onFocus: (cell: Cell) => void) {
  const anchor = ref<Cell | null>(null)
  const focus = ref<Cell | null>(null)
  let dragging = false

  const selection = computed<CellRange | null>(() => {
    if (!anchor.value || !focus.value) return null
    const whole = anchor.value.col < 0 || focus.value.col < 0
    return {
      rows: [Math.min(anchor.value.row, focus.value.row), Math.max(anchor.value.row, focus.value.row)],
      cols: whole ? [0, columnCount.value - 1] : [Math.min(anchor.value.col, focus.value.col), Math.max(anchor.value.col, focus.value.col)],
    }
  })

  function set(cell: Cell, extend: boolean): void {
    if (extend && anchor.value) focus.value = cell
    else {
      anchor.value = cell
      focus.value = cell
    }
    onFocus(cell)
  }

  function press(cell: Cell, e: MouseEvent): void {
    if (e.button !== 0) return
    set(cell, e.shiftKey)
    dragging = true
  }

  function dragTo(cell: Cell): void {
    if (!dragging || !anchor.value) return
    const col = anchor.value.col < 0 ? -1 : cell.col
    if (focus.value?.row !== cell.row || focus.value.col !== col) focus.value = { row: cell.row, col }
  }

  /** Moves the focus by rows and columns (clamped), from `start` when nothing is selected yet. */
  function move(dRow: number, dCol: number, extend: boolean, start: Cell): Cell | null {
    if (!rowCount.value) return null
    const from = focus.value ?? start
    const cell = {
      row: Math.max(0, Math.min(rowCount.value - 1, from.row + dRow)),
      col: Math.max(-1, Math.min(columnCount.value - 1, from.col + dCol)),
    }
    set(cell, extend)
    return cell
  }

  function clear(): void {
    anchor.value = null
    focus.value = null
  }

  const endDrag = (): void => {
    dragging = false
  }
  onMounted(() => window.addEventListener('mouseup', endDrag))
  onBeforeUnmount(() => window.removeEventListener('mouseup', endDrag))

  return { anchor, focus, selection, set, press, dragTo, move, clear }
}
