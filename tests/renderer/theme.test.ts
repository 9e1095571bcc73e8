// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createApi, type IpcPort } from '../../src/preload/api'
import { setHost } from '../../src/renderer/src/host'
import { createElectronHost } from '../../src/renderer/src/host/electron-host'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { checkRequest, sendSchemas } from '../../src/shared/ipc'
import { ThemeSetting, type Theme } from '../../src/shared/theme'

/**
 * The page and the desktop shell share one theme setting: the real view store, Electron host and
 * preload api on the page's side, the real ThemeSetting (what the main process's menu and
 * nativeTheme follow) on the other, joined by an in-memory IPC that checks each message against
 * the contract's schema as main does.
 */
function desktop() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const applied: Theme[] = []
  const shell = new ThemeSetting(
    (t) => applied.push(t),
    (t) => listeners.get('view:theme')?.forEach((fn) => fn(t))
  )
  const port: IpcPort = {
    invoke: async () => undefined,
    send: (channel, payload) => {
      if (channel !== 'view:theme') return
      const checked = checkRequest(sendSchemas.view.theme, payload)
      if (checked.ok) shell.fromPage(checked.value.theme)
    },
    on: (channel, fn) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(fn)
      return () => listeners.get(channel)!.delete(fn)
    },
    pathForFile: () => '',
  }
  setHost(createElectronHost(createApi(port)))
  return { shell, applied }
}

beforeEach(() => {
  window.localStorage.clear()
  delete document.documentElement.dataset.theme
  setActivePinia(createPinia())
})

describe('one theme setting, shared through the host', () => {
  it('the page’s saved theme reaches the shell at start, and its select changes the shell', async () => {
    window.localStorage.setItem('backprop-lab.view', JSON.stringify({ theme: 'dark' }))
    const { shell, applied } = desktop()
    const view = useViewStore()
    view.init()
    expect(shell.value).toBe('dark')
    view.theme = 'light'
    await nextTick()
    expect([shell.value, applied]).toEqual(['light', ['dark', 'light']])
  })

  it('a theme picked in the menu becomes the page’s setting: shown, saved, and not echoed back', async () => {
    const { shell, applied } = desktop()
    const view = useViewStore()
    view.init()
    shell.fromMenu('dark')
    await nextTick()
    expect(view.theme).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(JSON.parse(window.localStorage.getItem('backprop-lab.view')!).theme).toBe('dark')
    expect(applied).toEqual(['dark']) // applied once, by the menu; the page's answer changes nothing
    shell.fromMenu('system')
    await nextTick()
    expect(document.documentElement.dataset.theme).toBeUndefined()
    expect(view.theme).toBe('system')
  })
})
