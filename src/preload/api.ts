import {
  channelName,
  type EventDomain,
  type EventPayload,
  type EventVerb,
  type ExportRequest,
  type FileStamp,
  type InvokeDomain,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeVerb,
  type OpenedFile,
  type SendDomain,
  type SendRequest,
  type SendVerb,
  type Theme,
} from '../shared/ipc'
import type { Job } from '../shared/training/job'

/** What the preload does with Electron (ipcRenderer, webUtils); index.ts passes the real ones. */
export interface IpcPort {
  invoke(channel: string, payload: unknown): Promise<unknown>
  send(channel: string, payload: unknown): void
  on(channel: string, listener: (payload: unknown) => void): () => void
  /** A dropped File's path on disk (webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string
}

/** The narrow `window.api`: one method per channel of the contract, typed by it. */
export function createApi(ipc: IpcPort) {
  const invoke = <D extends InvokeDomain, V extends InvokeVerb<D>>(domain: D, verb: V, request: InvokeRequest<D, V>) =>
    ipc.invoke(channelName(domain, verb), request) as Promise<InvokeResponse<D, V>>
  const send = <D extends SendDomain, V extends SendVerb<D>>(domain: D, verb: V, request: SendRequest<D, V>): void =>
    ipc.send(channelName(domain, verb), request)
  const on =
    <D extends EventDomain, V extends EventVerb<D>>(domain: D, verb: V) =>
    (listener: (payload: EventPayload<D, V>) => void): (() => void) =>
      ipc.on(channelName(domain, verb), listener as (payload: unknown) => void)

  return {
    training: {
      /** Rejects when main refuses the job (the message says why). */
      start: (runId: number, job: Job, options: { record: boolean; paused?: boolean; pace?: number }) => invoke('training', 'start', { runId, job, options }),
      pause: (runId: number) => send('training', 'pause', { runId }),
      resume: (runId: number) => send('training', 'resume', { runId }),
      step: (runId: number, epochs: number) => send('training', 'step', { runId, epochs }),
      stop: (runId: number) => send('training', 'stop', { runId }),
      pace: (runId: number, epochsPerSecond: number) => send('training', 'pace', { runId, epochsPerSecond }),
      onEvent: on('training', 'event'),
      /** A message main refused (invalid, or its handler failed): shown by the window. */
      onRefused: on('ipc', 'refused'),
    },
    spreadsheet: {
      /** Asks for a workbook to check; its bytes, or null when the user cancels. */
      open: () => invoke('spreadsheet', 'open', undefined),
    },
    experiment: {
      open: () => invoke('experiment', 'open', undefined),
      openRecent: (path: string) => invoke('experiment', 'openRecent', { path }),
      /** Opens a file dropped on the window by its path; null when it is not a file on disk. */
      openDropped: async (file: File): Promise<OpenedFile | null> => {
        const path = ipc.pathForFile(file)
        return path ? invoke('experiment', 'openPath', { path }) : null
      },
      recent: () => invoke('experiment', 'recent', undefined),
      save: (text: string, path: string | null, suggestedName: string, base: FileStamp | null = null) =>
        invoke('experiment', 'save', { text, path, suggestedName, base }),
    },
    export: {
      xlsx: (request: ExportRequest) => invoke('export', 'xlsx', request),
      csv: (request: ExportRequest) => invoke('export', 'csv', request),
      cancel: () => send('export', 'cancel', undefined),
      onProgress: on('export', 'progress'),
    },
    autosave: {
      write: (text: string) => invoke('autosave', 'write', { text }),
      take: () => invoke('autosave', 'take', undefined),
      discard: (id: string) => invoke('autosave', 'discard', { id }),
    },
    document: {
      setState: (state: { title: string; name: string; dirty: boolean }) => send('document', 'state', state),
    },
    view: {
      setTheme: (theme: Theme) => send('view', 'theme', { theme }),
      onTheme: on('view', 'theme'),
    },
    menu: { onCommand: on('menu', 'command') },
    file: { onOpened: on('file', 'opened') },
  }
}

export type Api = ReturnType<typeof createApi>
