import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useHost } from '../host'
import type { ExportRequest, SavedFile } from '../host/host'

export type ExportKind = 'xlsx' | 'csv'

/**
 * The export under way, for the window's progress bar and Cancel. One at a time, as in the shell: a
 * new export replaces the one shown (the shell cancels the older one). The bar appears with the
 * first progress, so it is not shown while the save dialog is open.
 */
export const useExportStore = defineStore('export', () => {
  const kind = ref<ExportKind | null>(null)
  const fraction = ref<number | null>(null)
  let generation = 0

  const running = computed(() => kind.value !== null && fraction.value !== null)

  async function run(what: ExportKind, request: ExportRequest): Promise<SavedFile | null> {
    const host = useHost()
    const mine = ++generation
    kind.value = what
    fraction.value = null
    const onProgress = (f: number): void => {
      if (mine === generation) fraction.value = f
    }
    try {
      return await (what === 'xlsx' ? host.exportXlsx(request, onProgress) : host.exportCsv(request, onProgress))
    } finally {
      if (mine === generation) {
        kind.value = null
        fraction.value = null
      }
    }
  }

  /** Ends the export under way; it leaves no file behind and answers null. */
  function cancel(): void {
    useHost().cancelExport()
  }

  return { kind, fraction, running, run, cancel }
})
