// @vitest-environment happy-dom
import { createHash } from 'node:crypto'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseDocumentText } from '../../src/shared/document'
import { defaultExperiment } from '../../src/shared/experiment'
import { presetDocument } from '../../src/shared/presets'
import { tanhNet as tanhNetOf } from '../fixtures/experiments'
import { setHost } from '../../src/renderer/src/host'
import { createBrowserHost } from '../../src/renderer/src/host/browser-host'
import type { FileStamp, Host, OpenedFile } from '../../src/renderer/src/host/host'
import type { SaveConflictChoice } from '../../src/shared/ipc'
import { changedSince } from '../../src/shared/file-stamp'
import { useDocumentStore } from '../../src/renderer/src/stores/document'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import FileNotice from '../../src/renderer/src/components/document/FileNotice.vue'
import RecoveryBanner from '../../src/renderer/src/components/document/RecoveryBanner.vue'
import UnsavedPrompt from '../../src/renderer/src/components/document/UnsavedPrompt.vue'
import { inProcessFactory, until } from './in-process-host'
import { fixture } from '../fixtures/read'

/**
 * The document store against an in-memory host that behaves as the desktop host does: training in
 * (in-process) workers running the real engine; files on an in-memory disk that outlives a
 * "launch", validated on open and on save with the same parser as the main process, a .bak kept on
 * save, recent files and the recovery file beside them. Only the dialogs are scripted: `dialog`
 * holds the path the user picks next (null = Cancel). The Node file services themselves are tested
 * with real files in tests/main/services.
 */
interface Disk {
  files: Map<string, string>
  /** Modification times, as the file system keeps them. */
  mtimes: Map<string, number>
  recent: string[]
  /** Recovery copies by id: one per launch ("session"), as the shell keeps them. */
  recoveries: Map<string, string>
  /** When set, the next save fails with this message, as the file service would. */
  failSave: string | null
  /** When set, recovery copies cannot be written (a full disk). */
  failAutosave: boolean
  /** Recovery writes and removals, in the order the shell got them. */
  recoveryOps: string[]
  /** The answers to "changed by another program" (the shell's dialog), and how often it was asked. */
  conflictAnswers: SaveConflictChoice[]
  conflictsAsked: number
}

interface TestHost extends Host {
  dialog: (string | null)[]
  /** Dropped files that are files on disk, with their paths (what webUtils.getPathForFile gives). */
  dropPaths: Map<File, string>
  states: { title: string; dirty: boolean }[]
  openFromOs(file: OpenedFile): void
}

let disk: Disk
let host: TestHost

const nameOf = (path: string) => path.split('/').pop()!
let sessions = 0
/** A file on the in-memory disk written by another program (or by the test host's save). */
function writeOnDisk(path: string, text: string): void {
  disk.files.set(path, text)
  disk.mtimes.set(path, Date.now() + disk.mtimes.size + 1)
}
/** The stamp the shell computes (tests/main covers the real one on real files). */
function stampOnDisk(path: string): FileStamp | null {
  const text = disk.files.get(path)
  if (text === undefined) return null
  const bytes = Buffer.from(text, 'utf8')
  return { size: bytes.length, mtimeMs: disk.mtimes.get(path) ?? 0, sha256: createHash('sha256').update(bytes).digest('hex') }
}
/** Texts of every recovery copy on disk. */
const copies = () => [...disk.recoveries.values()]

function createTestHost(disk: Disk): TestHost {
  const base = createBrowserHost({ factory: inProcessFactory, storage: window.localStorage, cores: 2 })
  const fileListeners = new Set<(file: OpenedFile) => void>()
  const remember = (path: string) => (disk.recent = [path, ...disk.recent.filter((p) => p !== path)].slice(0, 10))
  const session = `recovery-s${++sessions}`
  const read = async (path: string): Promise<OpenedFile> => {
    const text = disk.files.get(path)
    if (text === undefined) throw new Error(`Could not open "${nameOf(path)}": it does not exist.`)
    const parsed = parseDocumentText(text)
    if (!parsed.ok) throw new Error(`Could not open "${nameOf(path)}": ${parsed.error}.`)
    remember(path)
    return { name: nameOf(path), path, text, stamp: stampOnDisk(path) }
  }
  const test: TestHost = {
    ...base,
    kind: 'electron',
    dialog: [],
    states: [],
    async openExperiment() {
      const path = test.dialog.shift()
      return path ? read(path) : null
    },
    openRecent: read,
    // As the desktop host: a dropped file on disk is read by its path (validated, added to the recent list).
    async openDropped(file) {
      const path = test.dropPaths.get(file)
      return path ? read(path) : null
    },
    dropPaths: new Map(),
    recentFiles: async () => disk.recent.map((path) => ({ path, name: nameOf(path), exists: disk.files.has(path) })),
    // As the shell's save handler (tests/main/ipc-contract.test.ts runs the real one).
    async saveExperiment(text, path, _name, base) {
      let target = path ?? test.dialog.shift()
      if (target === null || target === undefined) return null
      if (target === path && changedSince(base ?? null, stampOnDisk(target))) {
        disk.conflictsAsked++
        const choice = disk.conflictAnswers.shift() ?? 'cancel'
        if (choice === 'cancel') return null
        if (choice === 'reload') return { reloaded: await read(target) }
        if (choice === 'save-as') target = test.dialog.shift()
        if (!target) return null
      }
      const failure = disk.failSave
      disk.failSave = null
      if (failure) throw new Error(failure)
      const parsed = parseDocumentText(text)
      if (!parsed.ok) throw new Error(`Not saved: the experiment is not valid (${parsed.error}).`)
      const old = disk.files.get(target)
      if (old !== undefined) disk.files.set(`${target}.bak`, old)
      writeOnDisk(target, text)
      remember(target)
      return { name: nameOf(target), path: target, stamp: stampOnDisk(target) }
    },
    setDocumentState: (state) => void test.states.push(state),
    onFileOpened(listener) {
      fileListeners.add(listener)
      return () => fileListeners.delete(listener)
    },
    openFromOs: (file) => fileListeners.forEach((l) => l(file)),
    async autosave(text) {
      if (text !== '' && disk.failAutosave) throw new Error('ENOSPC: no space left on device')
      disk.recoveryOps.push(text === '' ? `clear ${session}` : `write ${session}`)
      if (text === '') disk.recoveries.delete(session)
      else disk.recoveries.set(session, text)
    },
    async takeRecovery() {
      const [id, text] = [...disk.recoveries.entries()].filter(([id]) => id !== session).at(-1) ?? []
      if (!id || !text) return null
      const path = (JSON.parse(text) as { path?: string }).path
      return { id, text, disk: path ? stampOnDisk(path) : null }
    },
    async discardRecovery(id) {
      disk.recoveryOps.push(`discard ${id}`)
      if (id !== session) disk.recoveries.delete(id)
    },
  }
  return test
}

/** A fresh window: new stores over the same data folder (as after a restart). */
async function launch(options: { autosaveMs?: number; autosaveDelayMs?: number } = {}) {
  setActivePinia(createPinia())
  host = createTestHost(disk)
  setHost(host)
  const doc = useDocumentStore()
  await doc.init(options)
  return { doc, experiment: useExperimentStore(), training: useTrainingStore() }
}

const tanhNet = () => tanhNetOf(400)

const sixRates = () => {
  const e = defaultExperiment()
  e.name = 'six rates'
  e.training.learningRates = [0.1, 0.25, 0.5, 1, 2, 4]
  e.training.epochs = 300
  return e
}

const bits = (xs: Float64Array) => Buffer.from(xs.buffer, xs.byteOffset, xs.byteLength).toString('hex')


beforeEach(() => {
  disk = { files: new Map(), mtimes: new Map(), recent: [], recoveries: new Map(), failSave: null, failAutosave: false, recoveryOps: [], conflictAnswers: [], conflictsAsked: 0 }
  setFrameScheduler((fn) => setTimeout(fn, 0))
})
afterEach(() => {
  useDocumentStore().dispose()
  useTrainingStore().reset()
})

describe('title and unsaved mark', () => {
  it('starts clean, titled with the experiment’s name; an edit marks it unsaved, undoing the edit clears the mark', async () => {
    const { doc, experiment } = await launch()
    // Not "Untitled": the experiment has a name before it has a file.
    expect(doc.title).toBe('Backpropagation sheet')
    expect(doc.dirty).toBe(false)
    experiment.experiment.training.epochs = 71
    expect(doc.title).toBe('Backpropagation sheet • unsaved')
    await until(() => host.states.at(-1)?.dirty === true)
    expect(host.states.at(-1)).toEqual({ title: 'Backpropagation sheet • unsaved', name: 'Backpropagation sheet', dirty: true })
    experiment.experiment.training.epochs = 70
    expect(doc.dirty).toBe(false)
    doc.setNotes('a note')
    expect(doc.dirty).toBe(true)
  })
})

describe('round trip through the store: save, restart, open', () => {
  it.each([
    ['the default experiment', defaultExperiment],
    ['a seeded 3-4-4-2 tanh net with trained biases', tanhNet],
    ['a six-rate comparison', sixRates],
  ])('%s: equal experiment, identical results, verified by retraining', async (_, make) => {
    let { doc, experiment, training } = await launch()
    experiment.replace(make())
    doc.setNotes('why this run')
    training.train()
    await until(() => training.status === 'done')
    const losses = training.runs.map((r) => bits(r.losses.toArray()))
    const weights = training.runs.map((r) => Array.from(r.weights))
    const file = '/home/me/saved.bplab'
    host.dialog.push(file)
    expect(await doc.saveAs(), doc.notice?.text).toBe(true)
    expect(doc.title).toBe('saved.bplab')
    expect(doc.dirty).toBe(false)

    ;({ doc, experiment, training } = await launch())
    expect(doc.recentFiles.map((f) => f.path)).toEqual([file])
    expect(await doc.openRecent(file)).toBe(true)
    expect(experiment.experiment).toEqual(make())
    expect(doc.notes).toBe('why this run')
    expect(doc.title).toBe('saved.bplab')
    expect(doc.dirty).toBe(false)
    await until(() => doc.resultsVerified || doc.resultsMessage !== null)
    expect(doc.resultsMessage).toBeNull()
    expect(training.runs.map((r) => bits(r.losses.toArray()))).toEqual(losses)
    expect(training.runs.map((r) => Array.from(r.weights))).toEqual(weights)
    // Saving again what was opened writes the same results.
    const before = parseDocumentText(disk.files.get(file)!)
    await doc.save()
    const after = parseDocumentText(disk.files.get(file)!)
    expect(after.ok && after.value.results).toEqual(before.ok && before.value.results)
    expect(disk.files.get(`${file}.bak`)).toContain('"why this run"')
  })

  it('runs saved before they ended reopen at the same epoch, checked over their saved epochs', async () => {
    let { doc, experiment, training } = await launch()
    experiment.experiment.training.learningRates = [0.5, 2]
    training.step(25)
    await until(() => training.runs.length === 2 && training.runs.every((r) => r.epochs === 25))
    host.dialog.push('/home/me/half.bplab')
    await doc.saveAs()
    const saved = JSON.parse(disk.files.get('/home/me/half.bplab')!)
    expect(saved.results.map((r: { stopReason: { kind: string; epochs: number } }) => r.stopReason)).toMatchObject([
      { kind: 'stopped', epochs: 25 },
      { kind: 'stopped', epochs: 25 },
    ])
    ;({ doc, experiment, training } = await launch())
    await doc.openRecent('/home/me/half.bplab')
    await until(() => doc.resultsVerified || doc.resultsMessage !== null)
    expect(doc.resultsMessage).toBeNull()
    expect(training.runs.map((r) => r.epochs)).toEqual([25, 25])
    expect(training.status).toBe('paused')
  })

  it('shows saved results that the engine does not reproduce, and keeps showing them', async () => {
    const file = '/home/me/tampered.bplab'
    disk.files.set(file, fixture('v2-sheet.bplab').replace('0.24251985734837728', '0.2425'))
    const { doc } = await launch()
    await doc.openRecent(file)
    expect(doc.notice?.kind).toBe('warning') // the content hash no longer matches
    await until(() => doc.resultsMessage !== null)
    expect(doc.resultsMessage).toMatch(
      /differ from what the engine computes now\. Run 1 \(η = 0\.5\): E_tot of epoch 1 is 0\.2425 in the file but 0\.24251985734837728 when recomputed\./
    )
    const wrapper = mount(FileNotice)
    expect(wrapper.get('[data-notice="results"]').text()).toContain('E_tot of epoch 1 is 0.2425')
    expect(wrapper.find('[data-notice="results"] button').exists()).toBe(false) // cannot be dismissed
    await wrapper.get('[data-notice="file"] button').trigger('click')
    expect(doc.notice).toBeNull()
    expect(wrapper.find('[data-notice="results"]').exists()).toBe(true)
  })

  it('opens a version-1 file, says it was migrated, and saves it as version 3', async () => {
    const { doc, experiment } = await launch()
    disk.files.set('/old/xor.json', fixture('v1-seeded-extras.json'))
    host.dialog.push('/old/xor.json')
    expect(await doc.open()).toBe(true)
    expect(experiment.experiment.name).toBe('XOR, seeded tanh')
    expect(doc.notice).toEqual({ kind: 'info', text: 'This file was written in format version 1; it will be saved in version 3.' })
    const file = '/home/me/migrated.bplab'
    host.dialog.push(file)
    await doc.saveAs()
    expect(JSON.parse(disk.files.get(file)!)).toMatchObject({ version: 3, author: 'a field version 1 did not know' })
  })
})

describe('refusing a bad file keeps the current experiment', () => {
  it('names the field and the problem, and changes nothing', async () => {
    const { doc, experiment } = await launch()
    experiment.experiment.training.epochs = 12
    const bad = '/home/me/bad.bplab'
    disk.files.set(bad, fixture('v2-sheet.bplab').replace('"weights": [0.15, 0.2,', '"weights": [0.2,'))
    doc.answer('discard') // nothing asked yet: no effect
    const opening = doc.openFile({ name: 'bad.bplab', path: bad, text: disk.files.get(bad)! })
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await opening).toBe(false)
    expect(doc.notice).toEqual({
      kind: 'error',
      text: 'Could not open "bad.bplab": init.weights: needs 8 values, got 7. The current experiment is unchanged.',
    })
    expect(experiment.experiment.training.epochs).toBe(12)
    expect(doc.dirty).toBe(true)
    // Through the file service the same file is refused before it reaches the store.
    const again = doc.openRecent(bad)
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await again).toBe(false)
    expect(doc.notice?.text).toMatch(/^Could not open "bad\.bplab": init\.weights: needs 8 values, got 7\.$/)
  })

  it("a save that fails shows the file service's message and stays unsaved", async () => {
    const { doc, experiment } = await launch()
    experiment.experiment.name = 'edited'
    const message = 'Could not save "x.bplab": writing the temporary file failed (the disk is full). The file on disk is unchanged.'
    disk.failSave = `Error invoking remote method 'experiment:save': Error: ${message}`
    host.dialog.push('/full/x.bplab')
    expect(await doc.saveAs()).toBe(false)
    expect(doc.notice).toEqual({ kind: 'error', text: message })
    expect(disk.files.has('/full/x.bplab')).toBe(false)
    expect(doc.dirty).toBe(true)
    expect(doc.title).toBe('edited • unsaved')
  })
})

describe('save / discard / cancel before New and Open', () => {
  it('Cancel keeps everything; Don’t save replaces; Save saves first', async () => {
    const { doc, experiment } = await launch()
    const wrapper = mount(UnsavedPrompt, { attachTo: document.body })
    experiment.experiment.name = 'work in progress'

    let asked = doc.newDocument()
    await until(() => wrapper.find('[role="dialog"]').exists())
    expect(wrapper.text()).toContain('Save changes to “work in progress”?')
    await wrapper.get('[data-answer="cancel"]').trigger('click')
    expect(await asked).toBe(false)
    expect(experiment.experiment.name).toBe('work in progress')

    asked = doc.newDocument()
    await until(() => wrapper.find('[role="dialog"]').exists())
    await wrapper.get('[data-answer="discard"]').trigger('click')
    expect(await asked).toBe(true)
    expect(experiment.experiment).toEqual(defaultExperiment())
    expect(doc.dirty).toBe(false)

    experiment.experiment.name = 'keep me'
    const file = '/home/me/kept.bplab'
    host.dialog.push(file)
    asked = doc.newDocument()
    await until(() => wrapper.find('[role="dialog"]').exists())
    await wrapper.get('[data-answer="save"]').trigger('click')
    expect(await asked).toBe(true)
    expect(JSON.parse(disk.files.get(file)!).name).toBe('keep me')
    expect(experiment.experiment.name).toBe(defaultExperiment().name)

    // Save cancelled in its dialog: nothing is replaced.
    experiment.experiment.name = 'again'
    host.dialog.push(null)
    asked = doc.newDocument()
    await until(() => doc.prompt !== null)
    doc.answer('save')
    expect(await asked).toBe(false)
    expect(experiment.experiment.name).toBe('again')
    wrapper.unmount()
  })

  it('a teaching preset asks as New does, then opens as a new unsaved document with its lesson in the notes', async () => {
    const { doc, experiment } = await launch()
    experiment.experiment.training.epochs = 5
    let asked = doc.openPreset('xor-tanh')
    await until(() => doc.prompt !== null)
    expect(doc.prompt?.action).toBe('opening the preset “XOR with 2-2-1 tanh”')
    doc.answer('cancel')
    expect(await asked).toBe(false)
    expect(experiment.experiment.training.epochs).toBe(5)

    asked = doc.openPreset('xor-tanh')
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await asked).toBe(true)
    expect(experiment.experiment).toEqual(presetDocument('xor-tanh').experiment)
    expect(experiment.experiment.network.layers).toEqual([2, 2, 1])
    expect(doc.notes).toBe(presetDocument('xor-tanh').notes)
    expect(doc.path).toBeNull()
    expect(doc.dirty).toBe(false)
    // Nothing to lose now: the next preset opens without asking.
    expect(await doc.openPreset('sheet')).toBe(true)
    expect(experiment.experiment).toEqual(defaultExperiment())
    expect(doc.dirty).toBe(false)
  })

  it('Open the Sheet’s Example asks as New does, then opens the sheet’s experiment as a new document', async () => {
    const { doc, experiment } = await launch()
    const path = '/home/me/mine.bplab'
    host.dialog.push(path)
    await doc.saveAs()
    experiment.experiment.training.learningRates = [0.1]
    let asked = doc.openExample()
    await until(() => doc.prompt !== null)
    expect(doc.prompt).toMatchObject({ name: 'mine.bplab' })
    doc.answer('cancel')
    expect(await asked).toBe(false)
    expect(experiment.experiment.training.learningRates).toEqual([0.1])
    expect(doc.path).toBe(path)

    asked = doc.openExample()
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await asked).toBe(true)
    expect(experiment.experiment).toEqual({ ...defaultExperiment(), name: 'Backpropagation sheet' })
    expect(doc.path).toBeNull()
    expect(doc.fileName).toBeNull()
    expect(doc.title).toBe('Backpropagation sheet')
    // Never saved: Save asks where, and the file it had stays as it was.
    const before = disk.files.get(path)
    host.dialog.push(null)
    expect(await doc.save()).toBe(false)
    expect(disk.files.get(path)).toBe(before)
  })

  it('a file handed over by the OS, and one dropped on the window, open the same way', async () => {
    const { doc, experiment } = await launch()
    const text = fixture('v2-seeded-tanh.bplab')
    host.openFromOs({ name: 'os.bplab', path: '/somewhere/os.bplab', text })
    await until(() => doc.fileName === 'os.bplab')
    expect(experiment.experiment.name).toBe('3-4-4-2 tanh, two rates')
    expect(doc.path).toBe('/somewhere/os.bplab')

    await doc.newDocument()
    const file = new File([fixture('v1-sheet.json')], 'dropped.json')
    let prevented = false
    const event = { preventDefault: () => (prevented = true), dataTransfer: { files: [file] } } as unknown as DragEvent
    expect(await doc.drop(event)).toBe(true)
    expect(prevented).toBe(true)
    expect(doc.fileName).toBe('dropped.json')
    expect(doc.path).toBeNull() // Save will ask where
  })

  it('a file dropped from disk opens by its path: Save writes back to it and it is in Open Recent', async () => {
    const { doc, experiment } = await launch()
    const path = '/home/me/dropped.bplab'
    disk.files.set(path, fixture('v2-seeded-tanh.bplab'))
    const file = new File([disk.files.get(path)!], 'dropped.bplab')
    host.dropPaths.set(file, path)
    const event = { preventDefault: () => undefined, dataTransfer: { files: [file] } } as unknown as DragEvent
    expect(await doc.drop(event)).toBe(true)
    expect(doc.path).toBe(path)
    expect(doc.fileName).toBe('dropped.bplab')
    expect(doc.recentFiles.map((r) => r.path)).toEqual([path])
    experiment.experiment.name = 'changed after the drop'
    expect(await doc.save()).toBe(true)
    expect(host.dialog).toEqual([])
    expect(JSON.parse(disk.files.get(path)!).name).toBe('changed after the drop')
    expect(disk.files.has(`${path}.bak`)).toBe(true)
  })

  it('a dropped file the shell refuses leaves the experiment as it was, with the reason', async () => {
    const { doc, experiment } = await launch()
    experiment.experiment.name = 'mine'
    const file = new File(['not json'], 'bad.bplab')
    disk.files.set('/home/me/bad.bplab', 'not json')
    host.dropPaths.set(file, '/home/me/bad.bplab')
    const dropped = doc.openDropped(file)
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await dropped).toBe(false)
    expect(doc.notice).toMatchObject({ kind: 'error', text: expect.stringContaining('Could not open "bad.bplab"') })
    expect(experiment.experiment.name).toBe('mine')
    expect(disk.recent).toEqual([])
  })
})

describe('autosave and crash recovery', () => {
  it('autosaves unsaved work every interval; after a crash the next launch offers it back', async () => {
    const { doc, experiment } = await launch({ autosaveMs: 20 })
    const file = '/home/me/project.bplab'
    host.dialog.push(file)
    await doc.saveAs()
    experiment.experiment.training.learningRates = [0.5, 0.9]
    doc.setNotes('unsaved thoughts')
    await until(() => copies().length > 0)
    // "Crash": no clean quit, a new window starts over the same data folder.
    doc.dispose()
    const next = await launch()
    const banner = mount(RecoveryBanner)
    expect(banner.text()).toContain('project.bplab')
    expect(next.experiment.experiment.training.learningRates).toEqual([0.5])
    await banner.get('[data-action="recover"]').trigger('click')
    expect(next.experiment.experiment.training.learningRates).toEqual([0.5, 0.9])
    expect(next.doc.notes).toBe('unsaved thoughts')
    expect(next.doc.path).toBe(file)
    expect(next.doc.dirty).toBe(true)
    // Saving clears the recovery copies: nothing is unsaved any more.
    await next.doc.save()
    expect(copies()).toEqual([])
    expect(JSON.parse(disk.files.get(file)!).training.learningRates).toEqual([0.5, 0.9])
  })

  it('writes nothing while the document is clean, and Discard removes the offer', async () => {
    const { doc, experiment } = await launch()
    await doc.autosaveNow()
    expect(copies()).toEqual([])
    experiment.experiment.name = 'x'
    await doc.autosaveNow()
    expect(copies()[0]).toContain('"backprop-lab.recovery"')
    doc.dispose()
    const next = await launch()
    expect(next.doc.recovery?.document.experiment.name).toBe('x')
    await next.doc.dismissRecovery()
    expect(copies()).toEqual([])
    expect((await launch()).doc.recovery).toBeNull()
  })

  it('an edit made while a save is being written keeps its recovery copy', async () => {
    const { doc, experiment } = await launch()
    host.dialog.push('/home/me/busy.bplab')
    const saving = doc.saveAs()
    experiment.experiment.name = 'edited during the save'
    expect(await saving).toBe(true)
    expect(doc.dirty).toBe(true)
    expect(copies()).toHaveLength(1)
    expect(copies()[0]).toContain('edited during the save')
  })

  it('a corrupt recovery file is reported, not offered, and removed', async () => {
    disk.recoveries.set('recovery', '{"format": "backprop-lab.recovery", "version": 1, "document": {"format": 3}}')
    const { doc } = await launch()
    expect(doc.recovery).toBeNull()
    expect(doc.notice?.text).toMatch(/^Work from the last session was found but cannot be recovered \(recovery\.document\.format: /)
    expect(copies()).toEqual([])
  })
})

describe('the recovery banner never destroys current work (issue 12 A2)', () => {
  /** A session that edits `name` unsaved, autosaves and "crashes". */
  async function crashedSessionWith(name: string, file?: string) {
    const { doc, experiment } = await launch()
    if (file) {
      writeOnDisk(file, fixture('v2-sheet.bplab'))
      host.dropPaths.set(new File(['x'], 'f'), file)
      expect(await doc.openDropped([...host.dropPaths.keys()][0])).toBe(true)
    }
    experiment.experiment.name = name
    await doc.autosaveNow()
    doc.dispose()
  }

  it('Discard on an old banner removes only the old copy; this session’s autosave stays and keeps updating', async () => {
    await crashedSessionWith('old session')
    const { doc, experiment } = await launch()
    expect(doc.recovery?.document.experiment.name).toBe('old session')
    experiment.experiment.name = 'work since launch'
    await doc.autosaveNow()
    expect(copies()).toHaveLength(2)
    const banner = mount(RecoveryBanner)
    await banner.get('[data-action="discard"]').trigger('click')
    await until(() => copies().length === 1)
    expect(copies()[0]).toContain('work since launch')
    // Later autosaves of this session still reach the disk.
    experiment.experiment.name = 'more work'
    await doc.autosaveNow()
    expect(copies()).toHaveLength(1)
    expect(copies()[0]).toContain('more work')
    expect(doc.recovery).toBeNull()
    expect(experiment.experiment.name).toBe('more work')
  })

  it('Recover asks before replacing edits made since launch; Cancel keeps them and the offer', async () => {
    await crashedSessionWith('old session')
    const { doc, experiment } = await launch()
    experiment.experiment.name = 'newer edits'
    const recovering = doc.acceptRecovery()
    await until(() => doc.prompt !== null)
    expect(doc.prompt?.action).toBe('recovering the autosaved work')
    doc.answer('cancel')
    expect(await recovering).toBe(false)
    expect(experiment.experiment.name).toBe('newer edits')
    expect(doc.recovery?.document.experiment.name).toBe('old session')
    // Don't Save: the recovered work replaces them, becomes this session's autosave, and the old copy goes.
    const again = doc.acceptRecovery()
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await again).toBe(true)
    expect(experiment.experiment.name).toBe('old session')
    expect(copies()).toHaveLength(1)
    expect(copies()[0]).toContain('old session')
  })

  it('Recover writes this session’s copy before removing the old one, and keeps the old one when that write fails', async () => {
    await crashedSessionWith('old session')
    const old = [...disk.recoveries.keys()][0]
    const { doc } = await launch()
    disk.recoveryOps = []
    expect(await doc.acceptRecovery()).toBe(true)
    expect(disk.recoveryOps.map((op) => op.split(' ')[0])).toEqual(['write', 'discard'])
    expect(disk.recoveryOps[1]).toBe(`discard ${old}`)
    // A full disk: the recovered work cannot get this session's copy, so the old one stays.
    await crashedSessionWith('second old session')
    const next = await launch()
    expect(next.doc.recovery?.document.experiment.name).toBe('second old session')
    disk.failAutosave = true
    expect(await next.doc.acceptRecovery()).toBe(true)
    expect(next.experiment.experiment.name).toBe('second old session')
    expect(copies().some((text) => text.includes('second old session'))).toBe(true)
    expect(next.doc.notice?.text).toMatch(/old copy is kept/)
  })

  it('with nothing edited since launch, Recover replaces without asking', async () => {
    await crashedSessionWith('old session')
    const { doc, experiment } = await launch()
    expect(await doc.acceptRecovery()).toBe(true)
    expect(doc.prompt).toBeNull()
    expect(experiment.experiment.name).toBe('old session')
  })

  it('remembers its file’s stamp; a file changed on disk since is named on the banner, and Save asks before overwriting it', async () => {
    const file = '/home/me/shared.bplab'
    await crashedSessionWith('my unsaved work', file)
    const recovery = JSON.parse(copies()[0]) as { path: string; file: FileStamp }
    expect(recovery.path).toBe(file)
    expect(recovery.file).toEqual(stampOnDisk(file))
    // Another program (a colleague's sync) writes the file after the crash.
    const theirs = fixture('v2-sheet.bplab').replace('"notes": "', '"notes": "their change ')
    writeOnDisk(file, theirs)
    const { doc, experiment } = await launch()
    const banner = mount(RecoveryBanner)
    expect(banner.get('[data-recovery-warning]').text()).toMatch(/^“shared\.bplab” was changed on disk \(.+\) after this work was autosaved\. Recovering does not overwrite it: Save asks first\.$/)
    await banner.get('[data-action="recover"]').trigger('click')
    await until(() => experiment.experiment.name === 'my unsaved work')
    disk.conflictAnswers.push('cancel')
    expect(await doc.save()).toBe(false)
    expect(disk.conflictsAsked).toBe(1)
    expect(disk.files.get(file)).toBe(theirs)
    expect(doc.dirty).toBe(true)
  })

  it('a file unchanged since the autosave gives no warning', async () => {
    const file = '/home/me/mine.bplab'
    await crashedSessionWith('my unsaved work', file)
    const { doc } = await launch()
    expect(doc.recovery?.path).toBe(file)
    expect(doc.recoveryWarning).toBeNull()
  })

  it('a recovery file of an earlier version (no stamp) opens; a file newer than it is named', async () => {
    const file = '/home/me/old.bplab'
    writeOnDisk(file, fixture('v2-sheet.bplab'))
    const old = { format: 'backprop-lab.recovery', version: 1, savedAt: '2020-01-01T00:00:00.000Z', path: file, name: 'old.bplab' }
    const document = JSON.parse(fixture('v2-sheet.bplab')) as Record<string, unknown>
    disk.recoveries.set('recovery', JSON.stringify({ ...old, document: { ...document, results: [] } }))
    const { doc } = await launch()
    expect(doc.recovery?.file).toBeNull()
    expect(doc.recoveryWarning).toMatch(/“old\.bplab” was changed on disk/)
  })
})

describe('Save and another program’s edit (issue 12 A3, the window’s side)', () => {
  it('the window sends what it read; Reload from Disk shows their version, clean', async () => {
    const file = '/home/me/together.bplab'
    writeOnDisk(file, fixture('v2-sheet.bplab'))
    const { doc, experiment } = await launch()
    host.dropPaths.set(new File(['x'], 'f'), file)
    await doc.openDropped([...host.dropPaths.keys()][0])
    experiment.experiment.name = 'mine'
    const theirs = fixture('v2-sheet.bplab').replace('"notes": "', '"notes": "their change ')
    writeOnDisk(file, theirs)
    disk.conflictAnswers.push('reload')
    expect(await doc.save()).toBe(false)
    expect(disk.files.get(file)).toBe(theirs)
    expect(doc.notes).toMatch(/^their change /)
    expect(experiment.experiment.name).not.toBe('mine')
    expect(doc.dirty).toBe(false)
    // Having reloaded, the next save knows that version: no question.
    experiment.experiment.name = 'mine, on top of theirs'
    expect(await doc.save()).toBe(true)
    expect(disk.conflictsAsked).toBe(1)
  })

  it('without another program’s edit, Save never asks', async () => {
    const file = '/home/me/alone.bplab'
    const { doc, experiment } = await launch()
    host.dialog.push(file)
    await doc.saveAs()
    for (const name of ['a', 'b', 'c']) {
      experiment.experiment.name = name
      expect(await doc.save()).toBe(true)
    }
    expect(disk.conflictsAsked).toBe(0)
  })
})
