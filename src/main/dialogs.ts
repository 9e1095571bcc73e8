import { basename, extname } from 'node:path'
import { app, dialog, type BrowserWindow, type FileFilter, type MessageBoxOptions } from 'electron'
import type { CloseChoice } from './close-guard'
import type { SaveConflictChoice } from '../shared/ipc'
import type { HangAnswer } from './renderer-watch'
import { EXPERIMENT_EXTENSION } from './file-args'

const FILTERS: Record<'experiment' | 'xlsx' | 'csv', FileFilter> = {
  experiment: { name: 'Backprop Lab experiment', extensions: [EXPERIMENT_EXTENSION.slice(1)] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
}

/** Native dialogs, thin: what to ask and the answer, nothing else. */
export function createDialogs(window: () => BrowserWindow | null) {
  const ask = async (options: MessageBoxOptions): Promise<number> => {
    const win = window()
    const shown = { noLink: true, ...options }
    return (win ? await dialog.showMessageBox(win, shown) : await dialog.showMessageBox(shown)).response
  }
  return {
    async open(): Promise<string | null> {
      const options = { properties: ['openFile' as const], filters: [FILTERS.experiment, { name: 'JSON', extensions: ['json'] }] }
      const win = window()
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },

    async openSpreadsheet(): Promise<string | null> {
      const options = { properties: ['openFile' as const], filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] }
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
      const response = await ask({
        type: 'warning',
        message: `Save the changes to “${name}” before closing?`,
        detail: 'Your changes are lost if you do not save them.',
        buttons: ['Save', 'Don’t Save', 'Cancel'],
        defaultId: 0,
        cancelId: 2,
      })
      return response === 0 ? 'save' : response === 1 ? 'discard' : 'cancel'
    },

    /** As editors ask when a file changed on disk: the safe answer (Cancel) is the default. */
    async askSaveConflict(name: string): Promise<SaveConflictChoice> {
      const choices: SaveConflictChoice[] = ['overwrite', 'reload', 'save-as', 'cancel']
      const response = await ask({
        type: 'warning',
        message: `“${name}” was changed by another program since you opened or saved it.`,
        detail: 'Overwrite replaces those changes with yours. Reload shows the file as it is now and drops your unsaved changes. Save As keeps both.',
        buttons: ['Overwrite', 'Reload from Disk', 'Save As…', 'Cancel'],
        defaultId: 3,
        cancelId: 3,
      })
      return choices[response] ?? 'cancel'
    },

    async askHung(): Promise<HangAnswer> {
      const response = await ask({
        type: 'warning',
        message: 'The window is not responding.',
        detail: 'Reload it to continue: your work autosaved so far is offered back after the reload. Or keep waiting.',
        buttons: ['Reload', 'Keep Waiting'],
        defaultId: 1,
        cancelId: 1,
      })
      return response === 0 ? 'reload' : 'wait'
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
