import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand, RecentFile, Theme } from '../shared/ipc'
import { PRESET_IDS, PRESETS, presetCommand } from '../shared/presets'

export type { Theme }

export interface MenuActions {
  command(command: MenuCommand): void
  openRecent(path: string): void
  setTheme(theme: Theme): void
  about(): void
}

export interface MenuOptions {
  platform: string
  appName: string
  recent: RecentFile[]
  theme: Theme
  dev: boolean
  actions: MenuActions
}

/**
 * What a menu command does. Each goes to the page; Stop also stops the training in main at once,
 * as the window's Stop button does: the page reads the command only after every training batch
 * queued before it (more than 30 s of them on a loaded machine), while main can end the workers now.
 */
export function menuCommands(deps: { send(command: MenuCommand): void; stopTraining(): void }): (command: MenuCommand) => void {
  return (command) => {
    if (command === 'stop') deps.stopTraining()
    deps.send(command)
  }
}

/**
 * The application menu as plain data (no electron at run time), so its items and accelerators
 * can be tested. The same shortcuts work in the browser edition (browser-host.ts).
 */
export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin'
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => o.actions.command(command),
  })
  const recent: MenuItemConstructorOptions[] = o.recent.length
    ? o.recent.map((file) => ({
        label: file.exists ? file.path : `${file.path} (missing)`,
        enabled: file.exists,
        click: () => o.actions.openRecent(file.path),
      }))
    : [{ label: 'No Recent Files', enabled: false }]
  const theme = (label: string, value: Theme): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: o.theme === value,
    click: () => o.actions.setTheme(value),
  })
  const about: MenuItemConstructorOptions = { label: `About ${o.appName}`, click: () => o.actions.about() }

  const template: MenuItemConstructorOptions[] = []
  if (mac)
    template.push({
      label: o.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    })
  template.push(
    {
      label: '&File',
      submenu: [
        cmd('New', 'new', 'CmdOrCtrl+N'),
        { label: 'New from Preset', submenu: PRESET_IDS.map((id) => cmd(PRESETS[id].label, presetCommand(id))) },
        cmd('Open…', 'open', 'CmdOrCtrl+O'),
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        cmd('Save', 'save', 'CmdOrCtrl+S'),
        cmd('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        cmd('Export to Excel…', 'export-xlsx', 'CmdOrCtrl+E'),
        cmd('Export CSV…', 'export-csv', 'CmdOrCtrl+Shift+E'),
        { type: 'separator' },
        cmd('Check a Spreadsheet…', 'check-spreadsheet'),
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // The experiment's own undo (every edit of it), not a text field's.
        cmd('Undo', 'undo', 'CmdOrCtrl+Z'),
        cmd('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&Run',
      submenu: [
        cmd('Train', 'train', 'F5'),
        cmd('Pause / Resume', 'pause-resume', 'F6'),
        cmd('Step', 'step', 'F10'),
        cmd('Step 10 Epochs', 'step-10', 'Shift+F10'),
        cmd('Stop', 'stop', 'Shift+F5'),
        { type: 'separator' },
        cmd('Reset', 'reset', 'CmdOrCtrl+Shift+R'),
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { label: 'Theme', submenu: [theme('System', 'system'), theme('Light', 'light'), theme('Dark', 'dark')] },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(o.dev ? [{ role: 'toggleDevTools' } as const] : []),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        cmd('Keyboard Shortcuts', 'help', 'F1'),
        cmd("Open the Sheet's Example", 'open-example'),
        ...(mac ? [] : [{ type: 'separator' } as const, about]),
      ],
    }
  )
  return template
}

/** The About box's text: the app's and its runtime's versions. */
export function aboutText(appName: string, appVersion: string, versions: Partial<Record<string, string>>): string {
  const lines = [
    `${appName} ${appVersion}`,
    '',
    `Electron ${versions.electron ?? '?'}`,
    `Chromium ${versions.chrome ?? '?'}`,
    `Node.js ${versions.node ?? '?'}`,
    `V8 ${versions.v8 ?? '?'}`,
  ]
  return lines.join('\n')
}
