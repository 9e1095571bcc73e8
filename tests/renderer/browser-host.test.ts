// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBrowserHost, poolSize } from '../../src/renderer/src/host/browser-host'
import type { MenuCommand } from '../../src/renderer/src/host/host'
import type { TrainingEvent } from '../../src/shared/training/protocol'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { inProcessFactory, until } from './in-process-host'

type Pickers = { showOpenFilePicker?: unknown; showSaveFilePicker?: unknown }

beforeEach(() => window.localStorage.clear())
afterEach(() => {
  delete (window as Pickers).showOpenFilePicker
  delete (window as Pickers).showSaveFilePicker
})

const host = () => createBrowserHost({ factory: inProcessFactory, storage: window.localStorage, cores: 2 })

describe('the browser host', () => {
  it('trains through the worker pool and reports every event with its job id', async () => {
    const h = host()
    const events: TrainingEvent[] = []
    h.onTraining((e) => events.push(e))
    h.train(7, runConfigs(defaultExperiment()), { record: true })
    await until(() => events.some((e) => e.type === 'done'))
    expect(events.every((e) => e.runId === 7)).toBe(true)
    const rows = events.reduce((n, e) => n + (e.type === 'batch' ? e.count : 0), 0)
    expect(rows).toBe(70)
  })

  it('runs every rate of a comparison at once, whatever the core count', () => {
    expect(poolSize(2)).toBe(8)
    expect(poolSize(16)).toBe(16)
    expect(poolSize(undefined)).toBe(8)
  })

  it('turns Ctrl/Cmd+N, O, S, Shift+S, E into menu commands', () => {
    const h = host()
    const got: MenuCommand[] = []
    const off = h.onMenuCommand((c) => got.push(c))
    const press = (key: string, extra: KeyboardEventInit = {}): boolean =>
      window.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: true, cancelable: true, ...extra }))
    expect(press('n')).toBe(false) // default prevented
    press('o')
    press('s')
    press('S', { shiftKey: true })
    press('e', { ctrlKey: false, metaKey: true })
    press('x')
    expect(got).toEqual(['new', 'open', 'save', 'save-as', 'export-xlsx'])
    off()
    press('n')
    expect(got).toHaveLength(5)
  })

  it('saves through the save picker and remembers the file among the recent ones', async () => {
    const written: string[] = []
    ;(window as Pickers).showSaveFilePicker = async (options: { suggestedName: string }) => {
      expect(options.suggestedName).toBe('sheet.json')
      return { createWritable: async () => ({ write: async (b: Blob) => void written.push(await b.text()), close: async () => undefined }) }
    }
    const h = host()
    const saved = await h.saveExperiment('{"a":1}', null, 'sheet')
    expect(saved).toEqual({ name: 'sheet.json', path: null })
    expect(written).toEqual(['{"a":1}'])
    expect(await h.recentFiles()).toEqual([{ path: 'sheet.json', name: 'sheet.json', exists: true }])
    expect(await h.openRecent('sheet.json')).toEqual({ name: 'sheet.json', path: null, text: '{"a":1}' })
    await expect(h.openRecent('gone.json')).rejects.toThrow('gone.json is no longer in the recent files')
  })

  it('opens through the open picker; a cancelled picker gives null', async () => {
    const h = host()
    ;(window as Pickers).showOpenFilePicker = async () => [{ getFile: async () => new File(['{"b":2}'], 'x.json') }]
    expect(await h.openExperiment()).toEqual({ name: 'x.json', path: null, text: '{"b":2}' })
    ;(window as Pickers).showOpenFilePicker = async () => {
      throw new DOMException('cancelled', 'AbortError')
    }
    expect(await h.openExperiment()).toBeNull()
  })

  it('keeps an autosave for recovery, once', async () => {
    const h = host()
    expect(await h.takeRecovery()).toBeNull()
    await h.autosave('{"draft":true}')
    expect(await h.takeRecovery()).toBe('{"draft":true}')
    expect(await h.takeRecovery()).toBeNull()
  })

  it('shows the document state in the tab title', () => {
    const h = host()
    h.setDocumentState({ title: 'sheet.json', dirty: true })
    expect(document.title).toBe('• sheet.json — Backprop Lab')
    h.setDocumentState({ title: 'sheet.json', dirty: false })
    expect(document.title).toBe('sheet.json — Backprop Lab')
  })
})
