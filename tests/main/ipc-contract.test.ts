import { execFileSync } from 'node:child_process'
import { readSpreadsheet } from '../../src/main/services/spreadsheet-file'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { allChannels } from '../../src/shared/ipc'
import { TrainingPool, type WorkerFactory } from '../../src/shared/training/pool'
import { MAX_PACE, type TrainingEvent } from '../../src/shared/training/protocol'
import { createTrainingSession } from '../../src/shared/training/session'
import type { SaveConflictChoice } from '../../src/shared/ipc'

/**
 * The `electron` module is the one fake here (its binary cannot run): ipcMain and ipcRenderer
 * record what is registered and sent. Everything else is the real code: handlers, preload,
 * schemas, training pool and file services on real files.
 */
type Handler = (event: unknown, payload?: unknown) => unknown
const fake = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload?: unknown) => unknown>(),
  listeners: new Map<string, (event: unknown, payload?: unknown) => unknown>(),
  exposed: new Map<string, unknown>(),
  invoked: [] as string[],
  sent: [] as string[],
  subscribed: new Map<string, ((event: unknown, payload: unknown) => void)[]>(),
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => {
      if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      fake.handlers.set(channel, fn)
    },
    on: (channel: string, fn: Handler) => fake.listeners.set(channel, fn),
  },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  webUtils: { getPathForFile: () => '/home/me/dropped.bplab' },
  ipcRenderer: {
    invoke: async (channel: string) => void fake.invoked.push(channel),
    send: (channel: string) => void fake.sent.push(channel),
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) =>
      fake.subscribed.set(channel, [...(fake.subscribed.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (event: unknown, payload: unknown) => void) =>
      fake.subscribed.set(
        channel,
        (fake.subscribed.get(channel) ?? []).filter((f) => f !== fn)
      ),
  },
}))

const { registerIpc, GrantedPaths } = await import('../../src/main/ipc/register')
const { readExperimentFile, saveExperimentFile, RecentFiles, currentStamp } = await import('../../src/main/services')
const { createExportRunner } = await import('../../src/node/export/runner')

const channels = allChannels()
const root = resolve(__dirname, '../..')

/** A training pool whose workers are the real session in-process (threads: tests/main/training). */
const inProcess: WorkerFactory = (onEvent) => {
  const session = createTrainingSession(
    (e) => queueMicrotask(() => onEvent(e)),
    (fn) => setImmediate(fn)
  )
  return { post: (command) => setImmediate(() => session(command)), terminate: () => undefined }
}

let dir: string
let trustedSender = true
const sentToWindow: { channel: string; payload: unknown }[] = []
const saveDialogAnswers: (string | null)[] = []
const conflictAnswers: SaveConflictChoice[] = []
let conflictsAsked = 0
const saveFinished: boolean[] = []
const states: { title: string; dirty: boolean }[] = []
const themes: string[] = []
const runner = new TrainingPool(inProcess, 2)
let recent: InstanceType<typeof RecentFiles>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipc-contract-'))
  recent = new RecentFiles(join(dir, 'recent.json'))
  registerIpc(
    {
      trusted: () => trustedSender,
      contents: () =>
        ({ isDestroyed: () => false, send: (channel: string, payload: unknown) => sentToWindow.push({ channel, payload }) }) as never,
      runner,
      files: {
        read: readExperimentFile,
        save: saveExperimentFile,
        stamp: currentStamp,
        recent: () => recent.list(),
        addRecent: (p) => recent.add(p),
      },
      autosave: { write: async () => undefined, take: async () => null, discard: async () => undefined },
      // The real export runner: a worker thread running src/node/export/worker.ts (through tsx).
      exporter: createExportRunner(resolve(__dirname, 'training/tsx-worker.cjs'), { workerData: { entry: resolve(__dirname, '../../src/node/export/worker.ts') } }),
      spreadsheets: { read: readSpreadsheet },
      dialogs: {
        open: async () => null,
        openSpreadsheet: async () => null,
        save: async () => saveDialogAnswers.shift() ?? null,
        askSaveConflict: async () => {
          conflictsAsked++
          return conflictAnswers.shift() ?? 'cancel'
        },
      },
      document: { setState: (s) => states.push(s), saveFinished: (saved) => saveFinished.push(saved) },
      view: { setTheme: (t) => themes.push(t) },
    },
    new GrantedPaths()
  )
})
afterAll(() => {
  runner.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const invoke = (channel: string, payload?: unknown): Promise<unknown> => Promise.resolve(fake.handlers.get(channel)!({}, payload))
/** The window's webContents as a sender: a refusal goes back to it as an ipc:refused event. */
const windowContents = { isDestroyed: () => false, send: (channel: string, payload: unknown) => sentToWindow.push({ channel, payload }) }
const send = (channel: string, payload?: unknown): void => void fake.listeners.get(channel)!({ sender: windowContents }, payload)
const refusals = () => sentToWindow.filter((m) => m.channel === 'ipc:refused').map((m) => m.payload as { channel: string; message: string })

describe('the IPC contract is complete', () => {
  it('main handles every invoke channel and listens on every send channel, and nothing else', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...channels.invoke].sort())
    expect([...fake.listeners.keys()].sort()).toEqual([...channels.send].sort())
    for (const name of [...channels.invoke, ...channels.send, ...channels.events]) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/)
  })

  it('the preload exposes only window.api, with a method for every channel', async () => {
    await import('../../src/preload/index')
    expect([...fake.exposed.keys()]).toEqual(['api'])
    const api = fake.exposed.get('api') as Record<string, Record<string, (...args: unknown[]) => unknown>>
    const unsubscribers: (() => void)[] = []
    for (const domain of Object.values(api))
      for (const method of Object.values(domain)) {
        const result = method(() => undefined)
        if (typeof result === 'function') unsubscribers.push(result as () => void)
        else await result
      }
    expect([...new Set(fake.invoked)].sort()).toEqual([...channels.invoke].sort())
    expect([...new Set(fake.sent)].sort()).toEqual([...channels.send].sort())
    const subscribed = [...fake.subscribed.entries()].filter(([, fns]) => fns.length > 0).map(([c]) => c)
    expect(subscribed.sort()).toEqual([...channels.events].sort())
    for (const off of unsubscribers) off()
    expect([...fake.subscribed.values()].every((fns) => fns.length === 0)).toBe(true)
  })

  it('no other source file spells a channel name or touches ipcMain/ipcRenderer', () => {
    const files: string[] = []
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const path = join(d, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|vue|mts|cts|js|mjs|cjs)$/.test(name)) files.push(path)
      }
    }
    walk(join(root, 'src'))
    expect(files.length).toBeGreaterThan(20)
    const all = [...channels.invoke, ...channels.send, ...channels.events]
    const domains = [...new Set(all.map((c) => c.split(':')[0]))]
    // A channel name, or any 'domain:word' string of a contract domain, written as a literal.
    const literal = new RegExp(`['"\`](${domains.join('|')}):[A-Za-z-]*['"\`$]`)
    const offenders: string[] = []
    for (const file of files) {
      const rel = relative(root, file)
      const text = readFileSync(file, 'utf8')
      if (
        rel !== join('src', 'shared', 'ipc.ts') &&
        (literal.test(text) || all.some((c) => text.includes(`'${c}'`) || text.includes(`"${c}"`)))
      )
        offenders.push(rel)
      const touchesIpc = /\bipc(Main|Renderer)\b/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))
      if (touchesIpc && ![join('src', 'main', 'ipc', 'handle.ts'), join('src', 'preload', 'index.ts')].includes(rel))
        offenders.push(`${rel} (ipcMain/ipcRenderer)`)
    }
    expect(offenders).toEqual([])
  })
})

describe('main checks every message', () => {
  it('refuses a sender that is not the app window', async () => {
    trustedSender = false
    try {
      await expect(invoke('experiment:recent')).rejects.toThrow(/not the app's window/)
    } finally {
      trustedSender = true
    }
    await expect(invoke('experiment:recent')).resolves.toEqual([])
  })

  it('rejects payloads that do not match the schema, naming the field', async () => {
    await expect(invoke('experiment:openRecent', { path: 42 })).rejects.toThrow(/path/)
    await expect(invoke('experiment:openRecent', { path: '/x', extra: 1 })).rejects.toThrow(/invalid request/)
    await expect(invoke('experiment:save', { text: 'x', path: null })).rejects.toThrow(/suggestedName/)
    await expect(invoke('export:xlsx', { documentText: '{}', suggestedName: 'a', chartPng: 'javascript:alert(1)' })).rejects.toThrow(
      /chartPng/
    )
    await expect(invoke('experiment:recent', { sneaky: true })).rejects.toThrow(/invalid request/)
  })

  it('a Cancel with a payload is refused back to the window, not dropped', () => {
    sentToWindow.length = 0
    send('export:cancel', { now: true })
    expect(refusals()).toEqual([{ channel: 'export:cancel', message: expect.stringMatching(/^invalid request/) }])
  })

  it('exports to the path picked in the dialog, off the main thread, with progress; Cancel answers null and leaves no file', async () => {
    const e = defaultExperiment()
    const documentText = JSON.stringify(e)
    const out = join(dir, 'exported.csv')
    saveDialogAnswers.push(out)
    sentToWindow.length = 0
    await expect(invoke('export:csv', { documentText, suggestedName: 'x' })).resolves.toEqual({ name: 'exported.csv', path: out })
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(71)
    const progress = sentToWindow.filter((m) => m.channel === 'export:progress').map((m) => m.payload as number)
    expect(progress.at(-1)).toBe(1)

    e.training.epochs = 2_000_000
    const cancelled = join(dir, 'cancelled.xlsx')
    saveDialogAnswers.push(cancelled)
    sentToWindow.length = 0
    const pending = invoke('export:xlsx', { documentText: JSON.stringify(e), suggestedName: 'x' })
    await vi.waitFor(() => expect(sentToWindow.some((m) => m.channel === 'export:progress')).toBe(true), { timeout: 20_000 })
    send('export:cancel')
    await expect(pending).resolves.toBeNull()
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled'))).toEqual([])
  })

  it('training runs on the pool; a refused job or command is answered with its reason, never dropped', async () => {
    const { learningRate, ...config } = runConfigs(defaultExperiment())[0]
    const start = (runId: number, job: unknown, options: unknown = { record: false }) => invoke('training:start', { runId, job, options })
    await expect(start(1, { config, learningRates: ['fast'] })).rejects.toThrow(/invalid request \(job\.learningRates\.0/)
    await expect(start(1, { config: { ...config, extra: true }, learningRates: [learningRate] })).rejects.toThrow(/invalid request/)
    // The file format's limits: 65 learning rates, a 513-neuron layer, 100,000,001 epochs.
    const rates65 = Array.from({ length: 65 }, () => learningRate)
    await expect(start(1, { config, learningRates: rates65 })).rejects.toThrow(/learningRates/)
    await expect(start(1, { config: { ...config, epochs: 100_000_001 }, learningRates: [learningRate] })).rejects.toThrow(/epochs/)
    const wide = { ...config, network: { ...config.network, layers: [2, 513, 2] } }
    await expect(start(1, { config: wide, learningRates: [learningRate] })).rejects.toThrow(/layers/)
    // Past the schema, the engine's validator: 8 weights are needed, and the cost estimate.
    await expect(start(1, { config: { ...config, weights: [0.1] }, learningRates: [learningRate] })).rejects.toThrow(
      /^Training refused: init\.weights: needs 8 values, got 1\.$/
    )
    const huge = { ...config, epochs: 100_000_000 }
    await expect(start(1, { config: huge, learningRates: Array.from({ length: 64 }, () => learningRate) })).rejects.toThrow(
      /6\.40 billion E_tot values \(47\.7 GB\)/
    )
    await expect(start(1, { config: huge, learningRates: [learningRate] }, { record: true })).rejects.toThrow(/Only E_tot|every column/)
    // A send-type command that is refused goes back to the window as an ipc:refused event.
    send('training:step', { runId: 1, epochs: -3 })
    send('training:pause', { runId: 'one' })
    expect(refusals()).toEqual([
      { channel: 'training:step', message: expect.stringMatching(/^invalid request \(epochs: /) },
      { channel: 'training:pause', message: expect.stringMatching(/^invalid request \(runId: /) },
    ])
    const events: TrainingEvent[] = []
    const done = new Promise<void>((r) => runner.onEvent((e) => (events.push(e), e.type === 'done' && r())))
    await start(2, { config, learningRates: [learningRate] })
    await done
    expect(events.filter((e) => e.runId !== 2)).toEqual([])
    const forwarded = sentToWindow.filter((m) => m.payload && (m.payload as TrainingEvent).runId === 2)
    expect(forwarded.length).toBe(events.length)
    expect(new Set(forwarded.map((m) => m.channel)).size).toBe(1)
  })

  it('a job can be held to a pace and the pace changed while it runs; a pace out of range is refused', async () => {
    const { learningRate, ...config } = runConfigs(defaultExperiment())[0]
    const job = { config, learningRates: [learningRate] }
    await expect(invoke('training:start', { runId: 3, job, options: { record: false, pace: MAX_PACE + 1 } })).rejects.toThrow(
      /invalid request \(options\.pace: /
    )
    for (const epochsPerSecond of [-1, MAX_PACE + 1, 'fast', Infinity]) send('training:pace', { runId: 3, epochsPerSecond })
    expect(refusals().slice(-4).map((r) => [r.channel, /^invalid request \(epochsPerSecond: /.test(r.message)])).toEqual(
      Array(4).fill(['training:pace', true])
    )
    const events: TrainingEvent[] = []
    const done = new Promise<void>((r) => runner.onEvent((e) => e.runId === 4 && (events.push(e), e.type === 'done' && r())))
    // One epoch a second: the 70 epochs would take over a minute, until the pace is lifted.
    await invoke('training:start', { runId: 4, job, options: { record: false, pace: 1 } })
    await vi.waitFor(() => expect(events.some((e) => e.type === 'batch')).toBe(true))
    const counts = events.filter((e) => e.type === 'batch').map((e) => e.type === 'batch' && e.count)
    expect(counts.every((n) => n === 1) && counts.length < 5).toBe(true)
    send('training:pace', { runId: 4, epochsPerSecond: 0 })
    await done
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: { kind: 'epochs', epochs: 70 } })
  })

  it('saves only to a path the user picked or opened; any other path goes through the dialog', async () => {
    const text = JSON.stringify(defaultExperiment(), null, 2)
    const picked = join(dir, 'picked.bplab')
    saveDialogAnswers.push(picked)
    const elsewhere = join(dir, 'not-granted.bplab')
    // The renderer names a path it was never given: main asks the user instead of writing there.
    const first = (await invoke('experiment:save', { text, path: elsewhere, suggestedName: 'x' })) as { stamp: unknown }
    expect(first).toEqual({ name: 'picked.bplab', path: picked, stamp: await currentStamp(picked) })
    expect(() => statSync(elsewhere)).toThrow()
    expect(readFileSync(picked, 'utf8')).toBe(text)
    // Now granted: saved in place without a dialog.
    const changed = text.replace('Backpropagation sheet', 'Changed')
    expect(await invoke('experiment:save', { text: changed, path: picked, suggestedName: 'x', base: first.stamp })).toMatchObject({
      name: 'picked.bplab',
      path: picked,
    })
    expect(readFileSync(picked, 'utf8')).toBe(changed)
    // Cancelled dialog.
    expect(await invoke('experiment:save', { text, path: null, suggestedName: 'x' })).toBeNull()
    expect(saveFinished).toEqual([true, true, false])
    expect((await recent.list()).map((r) => r.path)).toEqual([picked])
  })

  it('opens a recent file only when it is in the recent list', async () => {
    const other = join(dir, 'other.bplab')
    writeFileSync(other, JSON.stringify(defaultExperiment()))
    await expect(invoke('experiment:openRecent', { path: other })).rejects.toThrow(/not in the recent files/)
    const picked = join(dir, 'picked.bplab')
    expect(await invoke('experiment:openRecent', { path: picked })).toMatchObject({ name: 'picked.bplab', path: picked })
  })

  it('opens a dropped file by its absolute .bplab or .json path: then in Open Recent, and Save writes back to it', async () => {
    const dropped = join(dir, 'dropped.json')
    const text = JSON.stringify(defaultExperiment())
    writeFileSync(dropped, text)
    const opened = (await invoke('experiment:openPath', { path: dropped })) as { stamp: unknown }
    expect(opened).toEqual({ name: 'dropped.json', path: dropped, text, stamp: await currentStamp(dropped) })
    expect((await recent.list()).map((r) => r.path)[0]).toBe(dropped)
    await expect(invoke('experiment:openRecent', { path: dropped })).resolves.toMatchObject({ path: dropped })
    const changed = text.replace('Backpropagation sheet', 'Dropped and changed')
    const dialogs = saveDialogAnswers.length
    expect(await invoke('experiment:save', { text: changed, path: dropped, suggestedName: 'x', base: opened.stamp })).toMatchObject({
      name: 'dropped.json',
      path: dropped,
    })
    expect(saveDialogAnswers).toHaveLength(dialogs)
    expect(readFileSync(dropped, 'utf8')).toBe(changed)
  })

  it('refuses a dropped path that is relative or not a .bplab/.json file, and a file that is not an experiment', async () => {
    for (const path of ['dropped.json', './a.bplab', join(dir, 'notes.txt'), join(dir, 'a.bplab.bak'), join(dir, 'bplab'), ''])
      await expect(invoke('experiment:openPath', { path }), path).rejects.toThrow(/invalid request/)
    // Absolute on Windows only: the handler checks for this OS.
    if (process.platform !== 'win32')
      await expect(invoke('experiment:openPath', { path: 'C:\\Users\\me\\a.json' })).rejects.toThrow(/full path/)
    const junk = join(dir, 'junk.bplab')
    writeFileSync(junk, '{"not": "an experiment"}')
    await expect(invoke('experiment:openPath', { path: junk })).rejects.toThrow(/Could not open "junk.bplab"/)
    await expect(invoke('experiment:openPath', { path: join(dir, 'missing.json') })).rejects.toThrow(/Could not open "missing.json"/)
    if (process.platform !== 'win32') {
      // A FIFO named like an experiment: refused before it is opened, so no file-system thread waits on it.
      const fifo = join(dir, 'pipe.json')
      execFileSync('mkfifo', [fifo])
      await expect(invoke('experiment:openPath', { path: fifo })).rejects.toThrow(/^Could not open "pipe\.json": it is not a regular file\.$/)
    }
    expect((await recent.list()).map((r) => r.path)).not.toContain(junk)
    // Not opened, so not granted: saving to it asks where instead.
    saveDialogAnswers.push(null)
    expect(await invoke('experiment:save', { text: JSON.stringify(defaultExperiment()), path: junk, suggestedName: 'x' })).toBeNull()
    expect(readFileSync(junk, 'utf8')).toBe('{"not": "an experiment"}')
  })

  it('document state reaches the shell', () => {
    send('document:state', { title: 'a.bplab • unsaved', name: 'a.bplab', dirty: true })
    expect(states.at(-1)).toEqual({ title: 'a.bplab • unsaved', name: 'a.bplab', dirty: true })
    // The close prompt names the document: a state without its name is refused.
    send('document:state', { title: 'b.bplab', dirty: false })
    expect(states).toHaveLength(1)
    expect(refusals().at(-1)).toEqual({ channel: 'document:state', message: expect.stringMatching(/^invalid request \(name: /) })
  })

  it('the page’s theme reaches the shell; anything but a theme is refused', () => {
    send('view:theme', { theme: 'dark' })
    send('view:theme', { theme: 'purple' })
    send('view:theme', { theme: 'light', extra: 1 })
    expect(themes).toEqual(['dark'])
  })
})

describe('Save notices another program’s edit (issue 12 A3)', () => {
  /** A document opened by the window, as Open does; returns its path and the stamp the window keeps. */
  async function openedDocument(name: string) {
    const path = join(dir, name)
    writeFileSync(path, JSON.stringify(defaultExperiment()))
    const file = (await invoke('experiment:openPath', { path })) as { stamp: unknown; text: string }
    return { path, base: file.stamp, text: file.text }
  }
  const mine = JSON.stringify({ ...defaultExperiment(), name: 'my edit' })
  const theirs = JSON.stringify({ ...defaultExperiment(), name: 'their edit' })

  it('asks before overwriting; Cancel writes nothing and keeps their edit', async () => {
    const { path, base } = await openedDocument('conflict-cancel.bplab')
    writeFileSync(path, theirs)
    conflictAnswers.push('cancel')
    const asked = conflictsAsked
    expect(await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })).toBeNull()
    expect(conflictsAsked).toBe(asked + 1)
    expect(readFileSync(path, 'utf8')).toBe(theirs)
    expect(() => statSync(`${path}.bak`)).toThrow() // not even the .bak was touched
    expect(saveFinished.at(-1)).toBe(false)
  })

  it('Overwrite writes my version (their edit is the .bak)', async () => {
    const { path, base } = await openedDocument('conflict-overwrite.bplab')
    writeFileSync(path, theirs)
    conflictAnswers.push('overwrite')
    expect(await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })).toMatchObject({ path })
    expect(readFileSync(path, 'utf8')).toBe(mine)
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(theirs)
  })

  it('Reload gives the window the file as it is now and writes nothing', async () => {
    const { path, base } = await openedDocument('conflict-reload.bplab')
    writeFileSync(path, theirs)
    conflictAnswers.push('reload')
    const answer = (await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })) as { reloaded: { text: string; stamp: unknown } }
    expect(answer.reloaded).toMatchObject({ path, text: theirs, stamp: await currentStamp(path) })
    expect(readFileSync(path, 'utf8')).toBe(theirs)
    expect(saveFinished.at(-1)).toBe(false)
  })

  it('Save As writes mine elsewhere and leaves theirs', async () => {
    const { path, base } = await openedDocument('conflict-save-as.bplab')
    writeFileSync(path, theirs)
    const copy = join(dir, 'conflict-copy.bplab')
    conflictAnswers.push('save-as')
    saveDialogAnswers.push(copy)
    expect(await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })).toMatchObject({ path: copy })
    expect(readFileSync(path, 'utf8')).toBe(theirs)
    expect(readFileSync(copy, 'utf8')).toBe(mine)
  })

  it('a new modification time with the same bytes, or a file that was deleted, is no conflict', async () => {
    const { path, base, text } = await openedDocument('conflict-touched.bplab')
    writeFileSync(path, text) // rewritten, same content: only the mtime moved
    const asked = conflictsAsked
    const saved = (await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })) as { stamp: unknown }
    expect(readFileSync(path, 'utf8')).toBe(mine)
    // The stamp of what was written is the base of the next save: no question either.
    await invoke('experiment:save', { text: theirs, path, suggestedName: 'x', base: saved.stamp })
    rmSync(path)
    await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base: saved.stamp })
    expect(readFileSync(path, 'utf8')).toBe(mine)
    expect(conflictsAsked).toBe(asked)
  })

  it('same size, same mtime, other bytes: the hash tells', async () => {
    const { path, base } = await openedDocument('conflict-same-size.bplab')
    const before = statSync(path)
    const swapped = readFileSync(path, 'utf8').replace('"sigmoid"', '"sigmoiD"')
    writeFileSync(path, swapped)
    const { utimesSync } = await import('node:fs')
    utimesSync(path, before.atime, before.mtime)
    conflictAnswers.push('cancel')
    expect(await invoke('experiment:save', { text: mine, path, suggestedName: 'x', base })).toBeNull()
    expect(readFileSync(path, 'utf8')).toBe(swapped)
  })
})
