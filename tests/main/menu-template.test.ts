import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { aboutText, menuTemplate, type MenuOptions } from '../../src/main/menu-template'
import { MENU_COMMANDS, type MenuCommand } from '../../src/shared/ipc'
import { PRESET_IDS, PRESETS, presetCommand } from '../../src/shared/presets'

function build(platform: string, extra: Partial<MenuOptions> = {}) {
  const calls: string[] = []
  const template = menuTemplate({
    platform,
    appName: 'Backprop Lab',
    recent: [
      { path: '/a/one.bplab', name: 'one.bplab', exists: true },
      { path: '/a/gone.bplab', name: 'gone.bplab', exists: false },
    ],
    theme: 'system',
    dev: false,
    actions: {
      command: (c: MenuCommand) => calls.push(`command:${c}`),
      openRecent: (p) => calls.push(`recent:${p}`),
      setTheme: (t) => calls.push(`theme:${t}`),
      about: () => calls.push('about'),
    },
    ...extra,
  })
  return { template, calls }
}

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])])
}
const click = (item: MenuItemConstructorOptions): void => (item.click as () => void)()

describe('application menu', () => {
  it('has the File, Edit, Run, View and Help menus with the issue’s items', () => {
    const { template } = build('linux')
    expect(template.map((m) => m.label?.replace('&', ''))).toEqual(['File', 'Edit', 'Run', 'View', 'Help'])
    const labels = items(template).map((i) => i.label ?? i.role)
    for (const label of [
      'New',
      'Open…',
      'Open Recent',
      'Save',
      'Save As…',
      'Export to Excel…',
      'Export CSV…',
      'Check a Spreadsheet…',
      'Quit',
      'Train',
      'Pause / Resume',
      'Step',
      'Stop',
      'Reset',
      'Theme',
      'About Backprop Lab',
      "Open the Sheet's Example",
    ])
      expect(labels, label).toContain(label)
    for (const role of ['copy', 'paste', 'zoomIn', 'zoomOut', 'resetZoom']) expect(labels).toContain(role)
    // Undo and Redo are the experiment's own (every edit of it), sent to the page as commands.
    for (const label of ['Undo', 'Redo', 'Keyboard Shortcuts']) expect(labels).toContain(label)
  })

  it('File › New from Preset lists every teaching preset, each sending its own command', () => {
    const { template, calls } = build('linux')
    const file = template.find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[]
    const presets = file.find((i) => i.label === 'New from Preset')!.submenu as MenuItemConstructorOptions[]
    expect(presets.map((i) => i.label)).toEqual(PRESET_IDS.map((id) => PRESETS[id].label))
    presets.forEach(click)
    expect(calls).toEqual(PRESET_IDS.map((id) => `command:preset:${id}`))
  })

  it('every menu command is reachable, with unique accelerators', () => {
    const { template, calls } = build('linux')
    const all = items(template)
    for (const item of all) if (item.click && !/Recent|one\.bplab|gone|System|Light|Dark|About/.test(item.label ?? '')) click(item)
    expect(calls.map((c) => c.replace('command:', '')).sort()).toEqual([...MENU_COMMANDS, ...PRESET_IDS.map(presetCommand)].sort())
    const accelerators = all.map((i) => i.accelerator).filter(Boolean)
    expect(new Set(accelerators).size).toBe(accelerators.length)
    const accel = (label: string) => all.find((i) => i.label === label)?.accelerator
    expect([accel('Open…'), accel('Save'), accel('Save As…'), accel('Export to Excel…'), accel('Train'), accel('Stop')]).toEqual([
      'CmdOrCtrl+O',
      'CmdOrCtrl+S',
      'CmdOrCtrl+Shift+S',
      'CmdOrCtrl+E',
      'F5',
      'Shift+F5',
    ])
  })

  it('recent files: missing ones are marked and disabled; theme and about call back', () => {
    const { template, calls } = build('win32')
    const all = items(template)
    const one = all.find((i) => i.label === '/a/one.bplab')!
    const gone = all.find((i) => i.label?.startsWith('/a/gone.bplab'))!
    expect(gone).toMatchObject({ label: '/a/gone.bplab (missing)', enabled: false })
    click(one)
    click(all.find((i) => i.label === 'Dark')!)
    click(all.find((i) => i.label === 'About Backprop Lab')!)
    expect(calls).toEqual(['recent:/a/one.bplab', 'theme:dark', 'about'])
    expect(all.find((i) => i.label === 'System')).toMatchObject({ type: 'radio', checked: true })
  })

  it('macOS gets the app menu (About, Quit there) and no File › Quit', () => {
    const { template } = build('darwin')
    expect(template[0].label).toBe('Backprop Lab')
    const file = template[1].submenu as MenuItemConstructorOptions[]
    expect(file.some((i) => i.role === 'quit')).toBe(false)
    expect((template[0].submenu as MenuItemConstructorOptions[]).some((i) => i.role === 'quit')).toBe(true)
  })

  it('developer tools only in development; empty recent list', () => {
    expect(items(build('linux').template).some((i) => i.role === 'toggleDevTools')).toBe(false)
    const dev = build('linux', { dev: true, recent: [] })
    expect(items(dev.template).some((i) => i.role === 'toggleDevTools')).toBe(true)
    expect(items(dev.template).find((i) => i.label === 'No Recent Files')).toMatchObject({ enabled: false })
  })

  it('About lists the versions', () => {
    const text = aboutText('Backprop Lab', '0.1.0', { electron: '41.10.7', chrome: '140.0', node: '22.1.0', v8: '14.0' })
    expect(text).toContain('Backprop Lab 0.1.0')
    expect(text).toMatch(/Electron 41\.10\.7[\s\S]*Chromium 140\.0[\s\S]*Node\.js 22\.1\.0/)
  })
})
