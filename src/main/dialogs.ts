import { basename, extname } from 'node:path'
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron'
import type { CloseChoice } from './close-guard'
import { EXPERIMENT_EXTENSION } from './file-args'

const FILTERS: Record<'experiment' | 'xlsx' | 'csv', FileFilter> = {
  experiment: { name: 'Backprop Lab experiment', extensions: [EXPERIMENT_EXTENSION.slice(1)] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
}

/** Native dialogs, thin: what to ask and the answer, nothing else. */
export function createDialogs(window: () => BrowserWindow | null) {
  return {
    async open(): Promise<string | null> {
      const options = { properties: ['openFile' as const], filters: [FILTERS.experiment, { name: 'JSON', extensions: ['json'] }] }
      const win = window()
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },

    async save(suggestedName: string, kind: 'experiment' | 'xlsx' | 'csv'): Promise<string | null> {
      const extension = `.${FILTERS[kind].extensions[0]}`
      const stem = basename(suggestedName || 'experiment').replace(/\.(bplab|json|xlsx|csv)$/i, '')
      const options = { defaultPath: `${stem}${extension}`, filters: [FILTERS[kind]] }
      const win = window()
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      if (result.canceled || !result.filePath) return null
      return extname(result.filePath) ? result.filePath : `${result.filePath}${extension}`
    },

    async askSaveChanges(name: string): Promise<CloseChoice> {
      const win = window()
      const options = {
        type: 'warning' as const,
        message: `Save the changes to “${name}” before closing?`,
        detail: 'Your changes are lost if you do not save them.',
        buttons: ['Save', 'Don’t Save', 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        noLink: true,
      }
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
      return response === 0 ? 'save' : response === 1 ? 'discard' : 'cancel'
    },

    async about(text: string): Promise<void> {
      const win = window()
      const options = { type: 'info' as const, title: `About ${app.getName()}`, message: app.getName(), detail: text }
      if (win) await dialog.showMessageBox(win, options)
      else await dialog.showMessageBox(options)
    },

    error(title: string, message: string): void {
      dialog.showErrorBox(title, message)
    },
  }
}

export type Dialogs = ReturnType<typeof createDialogs>
