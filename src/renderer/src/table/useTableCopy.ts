import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { selectionTsv } from './selection'

/** Copying more rows than this at once would build a string of hundreds of MB. */
const MAX_COPY_ROWS = 200_000

/** The cells to copy: column names, the layout columns in the order shown, the rows, and each cell's value. */
export interface CopySource {
  names: readonly string[]
  columns: number[]
  rows: [number, number]
  value: (row: number, col: number) => number
}

/**
 * Ctrl+C in the focused table, and the Copy button: the selected cells as tab-separated text, every
 * number at full precision. `notice` says what was copied, or why not.
 */
export function useTableCopy(scroller: Ref<HTMLElement | null>, notice: Ref<string>, selected: () => CopySource | null) {
  function currentTsv(): string | null {
    const s = selected()
    if (!s) return null
    const rows = s.rows[1] - s.rows[0] + 1
    if (rows > MAX_COPY_ROWS) {
      notice.value = `Select at most ${MAX_COPY_ROWS.toLocaleString()} rows to copy.`
      return null
    }
    notice.value = `Copied ${rows} rows × ${s.columns.length} columns.`
    return selectionTsv(s.names, s.columns, s.rows, s.value)
  }

  function onCopy(e: ClipboardEvent): void {
    if (document.activeElement !== scroller.value) return
    const tsv = currentTsv()
    if (tsv === null || !e.clipboardData) return
    e.preventDefault()
    e.clipboardData.setData('text/plain', tsv)
  }

  async function copyButton(): Promise<void> {
    const tsv = currentTsv()
    if (tsv === null) return
    try {
      await navigator.clipboard.writeText(tsv)
    } catch {
      notice.value = 'The browser refused the clipboard; use Ctrl+C in the table.'
    }
  }

  onMounted(() => document.addEventListener('copy', onCopy))
  onBeforeUnmount(() => document.removeEventListener('copy', onCopy))
  return { copyButton }
}
