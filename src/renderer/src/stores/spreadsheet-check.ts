import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { CheckedTable } from '@shared/check/check-table'
import type { OpenedSpreadsheet } from '@shared/ipc'
import { useHost } from '../host'
import { useDocumentStore } from './document'
import { useTrainingStore } from './training'

/**
 * File › Check a Spreadsheet…: the workbook is checked here in the window (the same code as the
 * CLI's `check`, src/shared/check), in the desktop app and the browser edition alike. exceljs is
 * loaded only when a check runs. A newer check makes an older one's answer stale.
 */
export const useSpreadsheetCheckStore = defineStore('spreadsheetCheck', () => {
  const status = ref<'idle' | 'checking' | 'done' | 'error'>('idle')
  const fileName = ref('')
  const tables = shallowRef<CheckedTable[]>([])
  const problems = ref<string[]>([])
  const error = ref<string | null>(null)
  let job = 0

  async function pickAndCheck(): Promise<void> {
    let file: OpenedSpreadsheet | null
    try {
      file = await useHost().openSpreadsheet()
    } catch (e) {
      return fail('', e)
    }
    if (file) await check(file)
  }

  async function check(file: OpenedSpreadsheet): Promise<void> {
    const id = ++job
    status.value = 'checking'
    fileName.value = file.name
    tables.value = []
    problems.value = []
    error.value = null
    try {
      const { checkWorkbook } = await import('@shared/check')
      const result = await checkWorkbook(file.bytes, file.name)
      if (id !== job) return
      tables.value = markRaw(result.tables)
      problems.value = result.problems
      status.value = 'done'
    } catch (e) {
      if (id === job) fail(file.name, e)
    }
  }

  function fail(name: string, e: unknown): void {
    fileName.value = name
    error.value = e instanceof Error ? e.message : String(e)
    status.value = 'error'
  }

  /** "Open it": the rebuilt experiment becomes the window's document, trained, at the first wrong epoch. */
  async function openTable(index: number): Promise<boolean> {
    const table = tables.value[index]
    if (!table) return false
    if (!(await useDocumentStore().openRebuilt(table.experiment))) return false
    const training = useTrainingStore()
    training.train()
    training.selectEpoch((table.report.firstMismatch?.epoch ?? 1) - 1)
    close()
    return true
  }

  function close(): void {
    job++
    status.value = 'idle'
  }

  return { status, fileName, tables, problems, error, pickAndCheck, check, openTable, close }
})
