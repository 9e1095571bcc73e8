import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRef, watch } from 'vue'
import {
  documentFromRuns,
  parseDocumentText,
  recoveryText,
  serializeDocument,
  type ExperimentDocument,
  type RunLike,
} from '@shared/document'
import { defaultExperiment, type Experiment } from '@shared/experiment'
import { LIMITS, megabytes, utf8Bytes } from '@shared/limits'
import { presetDocument, PRESETS, type PresetId } from '@shared/presets'
import { documentSnapshot, NEVER_SAVED, sameSnapshot, type Snapshot } from '../document/snapshot'
import { useHost } from '../host'
import type { FileStamp, OpenedFile, RecentFile } from '../host/host'
import { AUTOSAVE_DELAY_MS, AUTOSAVE_INTERVAL_MS, scheduleAutosave, useRecoveryOffer } from '../document/recovery-offer'
import { useExperimentStore } from './experiment'
import { useSavedResultsStore } from './saved-results'
import { useTrainingStore, type RunView } from './training'

/**
 * The open document: which file, whether it has unsaved changes, and every flow that replaces or
 * writes it (New, Open, Open Recent, drag and drop, Save, Save As, autosave, crash recovery).
 * The experiment lives in the experiment store and the results in the training store; this store
 * reads and replaces them, and reaches files only through the Host.
 */
export type PromptAnswer = 'save' | 'discard' | 'cancel'

export interface Notice {
  kind: 'error' | 'warning' | 'info'
  text: string
}

export { AUTOSAVE_DELAY_MS, AUTOSAVE_INTERVAL_MS }
const UNTITLED = 'Untitled'

export const useDocumentStore = defineStore('document', () => {
  const experimentStore = useExperimentStore()
  const training = useTrainingStore()
  const savedResults = useSavedResultsStore()

  /** Full path in the desktop app; null for a new document and in the browser. */
  const path = ref<string | null>(null)
  /** File name for the title; null until the document is saved or opened. */
  const fileName = ref<string | null>(null)
  const notes = ref('')
  const created = ref<string | null>(null)
  /** Open, save and recovery messages; an error leaves the current experiment as it was. */
  const notice = ref<Notice | null>(null)
  /** Saved results the engine does not reproduce, and whether they were checked: see saved-results.ts. */
  const resultsMessage = toRef(savedResults, 'message')
  const resultsVerified = toRef(savedResults, 'verified')
  /** The save / discard / cancel question, while it is asked. */
  const prompt = ref<{ action: string; name: string } | null>(null)
  /** Work left by a session that did not end cleanly, offered back at start. */
  const offer = useRecoveryOffer({
    confirmDiscard,
    autosaveNow: () => autosaveNow(),
    notify: (text) => (notice.value = { kind: 'warning', text }),
    restore: (r) => {
      load(r.document, r.path, r.name)
      // It keeps its file's stamp from when it was autosaved: if the file changed since, Save asks first.
      baseStamp = r.file
      // The recovered work was never saved to its file.
      savedSnapshot.value = NEVER_SAVED
      notice.value = { kind: 'info', text: `Recovered the work of ${new Date(r.savedAt).toLocaleString()}. Save it to keep it.` }
    },
  })
  const recentFiles = ref<RecentFile[]>([])

  /** Everything that makes the document differ from its file (results follow from it). */
  const snapshot = computed(() => documentSnapshot(experimentStore.experiment, notes.value))
  const savedSnapshot = shallowRef(snapshot.value)
  const dirty = computed(() => !sameSnapshot(snapshot.value, savedSnapshot.value))
  const displayName = computed(() => fileName.value ?? (experimentStore.experiment.name.trim() || UNTITLED)) // before a file: the experiment's name
  const title = computed(() => (dirty.value ? `${displayName.value} • unsaved` : displayName.value))

  let answerPrompt: ((answer: PromptAnswer) => void) | null = null
  let lastAutosaved: Snapshot | null = null
  let stopAutosave: (() => void) | null = null
  /** What this window last read or wrote of `path`; Save sends it so the shell notices other programs' edits. */
  let baseStamp: FileStamp | null = null
  let unsubscribe: (() => void) | null = null

  function markSaved(): void {
    savedSnapshot.value = snapshot.value
  }

  /** Subscribes to the host and starts autosave; call once from main.ts. Resolves after the recovery check. */
  async function init(options: { autosaveMs?: number; autosaveDelayMs?: number } = {}): Promise<void> {
    const host = useHost()
    if (!unsubscribe) {
      unsubscribe = host.onFileOpened((file) => void openFile(file))
      watch([title, dirty], () => host.setDocumentState({ title: title.value, name: displayName.value, dirty: dirty.value }), { immediate: true })
      savedResults.init()
      stopAutosave = scheduleAutosave(snapshot, autosaveNow, options.autosaveMs ?? AUTOSAVE_INTERVAL_MS, options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS)
    }
    await refreshRecent()
    await offer.look()
  }

  function dispose(): void {
    unsubscribe?.()
    unsubscribe = null
    stopAutosave?.()
    stopAutosave = null
  }

  /** Resolves true when it is fine to replace the document: saved, discarded, or nothing to lose. */
  function confirmDiscard(action: string): Promise<boolean> {
    if (!dirty.value) return Promise.resolve(true)
    answerPrompt?.('cancel') // a question already open is answered "cancel" by the newer one
    prompt.value = { action, name: displayName.value }
    return new Promise((resolve) => {
      answerPrompt = (answer) => {
        answerPrompt = null
        prompt.value = null
        if (answer === 'discard') resolve(true)
        else if (answer === 'cancel') resolve(false)
        else void save().then(resolve)
      }
    })
  }

  /** The prompt's buttons call this. */
  function answer(a: PromptAnswer): void {
    answerPrompt?.(a)
  }

  const clearResults = (): void => savedResults.clear()

  const newDocument = (): Promise<boolean> => startNew('creating a new experiment', defaultExperiment())

  /** Help › Open the Sheet's Example: the sheet's experiment as a new, never saved document. */
  const openExample = (): Promise<boolean> => openPreset('sheet', 'opening the sheet’s example')

  /** File › New from Preset (and the editor's preset list): a teaching preset as a new, never saved document, its lesson in the notes. */
  function openPreset(id: PresetId, action = `opening the preset “${PRESETS[id].label}”`): Promise<boolean> {
    const preset = presetDocument(id)
    return startNew(action, preset.experiment, preset.notes)
  }

  /** An experiment rebuilt from a student's spreadsheet (File › Check a Spreadsheet…), as a new unsaved document. */
  const openRebuilt = (experiment: Experiment): Promise<boolean> => startNew('opening the rebuilt experiment', experiment)

  async function startNew(action: string, experiment: Experiment, startNotes = ''): Promise<boolean> {
    if (!(await confirmDiscard(action))) return false
    training.reset()
    experimentStore.replace(experiment)
    path.value = null
    fileName.value = null
    baseStamp = null
    notes.value = startNotes
    created.value = null
    notice.value = null
    clearResults()
    markSaved()
    return true
  }

  async function open(): Promise<boolean> {
    if (!(await confirmDiscard('opening another file'))) return false
    let file: OpenedFile | null
    try {
      file = await useHost().openExperiment()
    } catch (e) {
      notice.value = { kind: 'error', text: messageOf(e) }
      return false
    }
    return file ? openFile(file, true) : false
  }

  async function openRecent(recentPath: string): Promise<boolean> {
    if (!(await confirmDiscard('opening another file'))) return false
    let file: OpenedFile
    try {
      file = await useHost().openRecent(recentPath)
    } catch (e) {
      notice.value = { kind: 'error', text: messageOf(e) }
      await refreshRecent()
      return false
    }
    return openFile(file, true)
  }

  /**
   * Validates a file's text and, only when it is good, replaces the document with it. Used by Open,
   * Open Recent, drag and drop and files the OS hands over (already asked when `confirmed`).
   */
  async function openFile(file: OpenedFile, confirmed = false): Promise<boolean> {
    if (!confirmed && !(await confirmDiscard('opening another file'))) return false
    const parsed = parseDocumentText(file.text)
    if (!parsed.ok) {
      notice.value = { kind: 'error', text: `Could not open "${file.name}": ${parsed.error}. The current experiment is unchanged.` }
      return false
    }
    load(parsed.value, file.path, file.name)
    baseStamp = file.stamp ?? null
    const hashNotice = parsed.info.hash === 'mismatch'
    notice.value = parsed.info.notices.length ? { kind: hashNotice ? 'warning' : 'info', text: parsed.info.notices.join(' ') } : null
    await refreshRecent()
    return true
  }

  /** Puts a document in place with its saved results (see saved-results.ts). */
  function load(doc: ExperimentDocument, filePath: string | null, name: string | null): void {
    training.reset()
    experimentStore.replace(doc.experiment)
    path.value = filePath
    fileName.value = name
    notes.value = doc.notes
    created.value = doc.created
    markSaved()
    // Retrained and compared when that fits the open budget; else shown as saved, "not yet verified".
    savedResults.adopt(doc.experiment, doc.results)
  }

  /** A document's file text, as Save writes it. */
  function documentText(): string {
    return serializeDocument(currentDocument())
  }

  /** The document without results, for the exporters: they recompute every run, so results would only cost time. */
  function exportText(): string {
    return serializeDocument(documentFromRuns(experimentStore.experiment, [], { notes: notes.value, created: created.value }))
  }

  function currentDocument(): ExperimentDocument {
    const checking = savedResults.resultsBeingChecked()
    const runs: readonly RunLike[] = checking ?? training.runs.map((run) => ({
      learningRate: run.learningRate,
      losses: run.losses.toArray(),
      weights: run.weights,
      biases: biasesOf(run),
      stopReason: run.stopReason,
      config: run.config,
    }))
    return documentFromRuns(experimentStore.experiment, runs, { notes: notes.value, created: created.value })
  }

  function suggestedName(): string {
    if (fileName.value) return fileName.value
    const name = (experimentStore.experiment.name || 'experiment').replace(/[\\/:*?"<>|]+/g, '-').trim()
    return `${name || 'experiment'}.bplab`
  }

  const save = (): Promise<boolean> => write(path.value)
  const saveAs = (): Promise<boolean> => write(null)

  async function write(target: string | null): Promise<boolean> {
    const saving = snapshot.value
    let text: string
    let doc: ExperimentDocument
    try {
      doc = currentDocument()
      text = serializeDocument(doc)
    } catch (e) {
      notice.value = { kind: 'error', text: `Could not save: ${messageOf(e)}` }
      return false
    }
    // Bytes, as open counts them: multi-byte notes cannot make a file that saves but does not reopen.
    const bytes = utf8Bytes(text)
    if (bytes > LIMITS.maxFileBytes) {
      notice.value = {
        kind: 'error',
        text: `Could not save: the document would be ${megabytes(bytes)} MB, more than the ${megabytes(LIMITS.maxFileBytes)} MB a file can hold. Train fewer epochs or fewer learning rates, or shorten the notes.`,
      }
      return false
    }
    try {
      const saved = await useHost().saveExperiment(text, target, suggestedName(), target === null ? null : baseStamp)
      if (!saved) return false
      // The file had changed on disk and the user chose to load it: their edits here give way.
      if ('reloaded' in saved) return (await openFile(saved.reloaded, true)) && false
      path.value = saved.path
      fileName.value = saved.name
      baseStamp = saved.stamp ?? null
      created.value = doc.created
      // Edits made while the file was being written stay unsaved.
      savedSnapshot.value = saving
      notice.value = null
      await useHost().autosave('')
      lastAutosaved = null
      if (dirty.value) await autosaveNow() // edits made while saving keep their copy
      await refreshRecent()
      return true
    } catch (e) {
      notice.value = { kind: 'error', text: messageOf(e) }
      return false
    }
  }

  /**
   * Writes the working experiment for crash recovery when it has changed since the last time.
   * Resolves false when the write failed (true when the copy on disk is up to date).
   */
  async function autosaveNow(now = new Date()): Promise<boolean> {
    const host = useHost()
    try {
      if (!dirty.value) {
        if (lastAutosaved !== null) await host.autosave('')
        lastAutosaved = null
        return true
      }
      if (sameSnapshot(lastAutosaved, snapshot.value)) return true
      const state = snapshot.value
      const document = documentFromRuns(experimentStore.experiment, [], { notes: notes.value, created: created.value, now })
      await host.autosave(recoveryText({ savedAt: now.toISOString(), path: path.value, name: fileName.value, file: baseStamp, document }))
      lastAutosaved = state
      return true
    } catch {
      // Autosave is a safety net; a failed write is retried at the next interval.
      return false
    }
  }

  /** Drop handler for the window: opens the first file dropped. */
  async function drop(event: DragEvent): Promise<boolean> {
    event.preventDefault()
    const file = event.dataTransfer?.files?.[0]
    if (!file) return false
    return openDropped(file)
  }

  /**
   * In the desktop app the shell opens a dropped file by its path (read and validated there, added
   * to Open Recent, and Save writes back to it); otherwise, and for a file with no path on disk,
   * its text is read here and Save asks where.
   */
  async function openDropped(file: File): Promise<boolean> {
    const host = useHost()
    if (host.openDropped) {
      if (!(await confirmDiscard('opening another file'))) return false
      let opened: OpenedFile | null
      try {
        opened = await host.openDropped(file)
      } catch (e) {
        notice.value = { kind: 'error', text: messageOf(e) }
        return false
      }
      if (opened) return openFile(opened, true)
      return openText(file, true)
    }
    return openText(file, false)
  }

  async function openText(file: File, confirmed: boolean): Promise<boolean> {
    if (file.size > LIMITS.maxFileBytes) {
      notice.value = {
        kind: 'error',
        text: `Could not open "${file.name}": it is ${megabytes(file.size)} MB; files up to ${megabytes(LIMITS.maxFileBytes)} MB can be opened.`,
      }
      return false
    }
    if (!confirmed && !(await confirmDiscard('opening another file'))) return false
    let text: string
    try {
      text = await file.text()
    } catch (e) {
      notice.value = { kind: 'error', text: `Could not read "${file.name}": ${messageOf(e)}` }
      return false
    }
    return openFile({ name: file.name, path: null, text }, true)
  }

  async function refreshRecent(): Promise<void> {
    try {
      recentFiles.value = await useHost().recentFiles()
    } catch {
      // The list is a convenience; the menu keeps its last state.
    }
  }

  function setNotes(text: string): void {
    notes.value = text
  }

  function dismissNotice(): void {
    notice.value = null
  }

  return {
    path,
    fileName,
    notes,
    created,
    notice,
    resultsMessage,
    resultsVerified,
    prompt,
    /** Work left by a session that did not end cleanly, offered back at start; and the banner's warning. */
    recovery: offer.recovery,
    recoveryWarning: offer.warning,
    recentFiles,
    dirty,
    title,
    displayName,
    init,
    dispose,
    answer,
    confirmDiscard,
    newDocument,
    openExample,
    openPreset,
    openRebuilt,
    open,
    openRecent,
    openFile,
    save,
    saveAs,
    documentText,
    exportText,
    autosaveNow,
    acceptRecovery: offer.accept,
    dismissRecovery: offer.dismiss,
    drop,
    openDropped,
    refreshRecent,
    setNotes,
    dismissNotice,
  }
})

/** Biases as saved: none when the network has none (the engine keeps zeros there). */
function biasesOf(run: RunView): ArrayLike<number> {
  return run.config.network.bias === 'none' ? [] : run.biases
}

function messageOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  // Electron prefixes errors that cross IPC; the user needs only the sentence from the file service.
  return message.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '')
}
