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

  it('saves as .bplab through the save picker and remembers the file among the recent ones', async () => {
    const written: string[] = []
    const asked: { suggestedName: string; types: { accept: Record<string, string[]> }[] }[] = []
    ;(window as Pickers).showSaveFilePicker = async (options: (typeof asked)[number]) => {
      asked.push(options)
      return { createWritable: async () => ({ write: async (b: Blob) => void written.push(await b.text()), close: async () => undefined }) }
    }
    const h = host()
    const saved = await h.saveExperiment('{"a":1}', null, 'sheet')
    expect(asked[0].suggestedName).toBe('sheet.bplab')
    expect(asked[0].types.flatMap((t) => Object.values(t.accept).flat())).toEqual(['.bplab'])
    expect(saved).toEqual({ name: 'sheet.bplab', path: null })
    expect(written).toEqual(['{"a":1}'])
    expect(await h.recentFiles()).toEqual([{ path: 'sheet.bplab', name: 'sheet.bplab', exists: true }])
    expect(await h.openRecent('sheet.bplab')).toEqual({ name: 'sheet.bplab', path: null, text: '{"a":1}' })
    await expect(h.openRecent('gone.bplab')).rejects.toThrow('gone.bplab is no longer in the recent files')
    // A version-1 file opened as .json is saved as a .bplab document.
    expect(await h.saveExperiment('{"c":3}', null, 'old.json')).toEqual({ name: 'old.bplab', path: null })
    expect(asked[1].suggestedName).toBe('old.bplab')
  })

  it('takes the name the user gave in the save picker', async () => {
    ;(window as Pickers).showSaveFilePicker = async () => ({
      name: 'renamed.bplab',
      createWritable: async () => ({ write: async () => undefined, close: async () => undefined }),
    })
    expect(await host().saveExperiment('{"a":1}', null, 'sheet')).toEqual({ name: 'renamed.bplab', path: null })
  })

  it('downloads as .bplab without the save picker', async () => {
    const names: string[] = []
    const click = HTMLAnchorElement.prototype.click
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      names.push(this.download)
    }
    try {
      expect(await host().saveExperiment('{"a":1}', null, 'Backpropagation sheet.bplab')).toEqual({ name: 'Backpropagation sheet.bplab', path: null })
    } finally {
      HTMLAnchorElement.prototype.click = click
    }
    expect(names).toEqual(['Backpropagation sheet.bplab'])
  })

  it('opens .bplab and .json through the open picker; a cancelled picker gives null', async () => {
    const h = host()
    let accepted: string[] = []
    ;(window as Pickers).showOpenFilePicker = async (options: { types: { accept: Record<string, string[]> }[] }) => {
      accepted = options.types.flatMap((t) => Object.values(t.accept).flat())
      return [{ getFile: async () => new File(['{"b":2}'], 'x.bplab') }]
    }
    expect(await h.openExperiment()).toEqual({ name: 'x.bplab', path: null, text: '{"b":2}' })
    expect(accepted).toEqual(['.bplab', '.json'])
    ;(window as Pickers).showOpenFilePicker = async () => [{ getFile: async () => new File(['{"b":3}'], 'old.json') }]
    expect(await h.openExperiment()).toEqual({ name: 'old.json', path: null, text: '{"b":3}' })
    ;(window as Pickers).showOpenFilePicker = async () => {
      throw new DOMException('cancelled', 'AbortError')
    }
    expect(await h.openExperiment()).toBeNull()
  })

  it('without the open picker, the file input takes .bplab and .json', async () => {
    const click = HTMLInputElement.prototype.click
    let accept = ''
    HTMLInputElement.prototype.click = function (this: HTMLInputElement) {
      accept = this.accept
      this.dispatchEvent(new Event('cancel'))
    }
    try {
      expect(await host().openExperiment()).toBeNull()
    } finally {
      HTMLInputElement.prototype.click = click
    }
    expect(accept).toBe('.bplab,.json,application/json')
  })

  it('keeps each page load’s autosave apart: the next load is offered it, and discarding it spares its own', async () => {
    const h = host()
    expect(await h.takeRecovery()).toBeNull()
    await h.autosave('{"savedAt":"2026-01-01T00:00:00.000Z"}')
    expect(await h.takeRecovery()).toBeNull() // a page is not offered its own work
    const next = host() // a reload
    const copy = await next.takeRecovery()
    expect(copy?.text).toBe('{"savedAt":"2026-01-01T00:00:00.000Z"}')
    expect(await next.takeRecovery()).toEqual(copy) // kept until discarded
    await next.autosave('{"savedAt":"2026-01-02T00:00:00.000Z"}')
    await next.discardRecovery(copy!.id)
    expect(await next.takeRecovery()).toBeNull()
    expect((await host().takeRecovery())?.text).toBe('{"savedAt":"2026-01-02T00:00:00.000Z"}')
    // A copy written by an earlier version under the old key is offered too.
    window.localStorage.clear()
    window.localStorage.setItem('backprop-lab.autosave', '{"old":1}')
    expect(await host().takeRecovery()).toEqual({ id: 'backprop-lab.autosave', text: '{"old":1}' })
  })

  it('shows the document state in the tab title: the title as given, which carries the unsaved mark', () => {
    const h = host()
    h.setDocumentState({ title: 'sheet.bplab • unsaved', name: 'sheet.bplab', dirty: true })
    expect(document.title).toBe('sheet.bplab • unsaved — Backprop Lab')
    h.setDocumentState({ title: 'sheet.bplab', name: 'sheet.bplab', dirty: false })
    expect(document.title).toBe('sheet.bplab — Backprop Lab')
  })
})
