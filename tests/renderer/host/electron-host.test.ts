import { reactive } from 'vue'
import { describe, expect, it } from 'vitest'
import { createApi, type IpcPort } from '../../../src/preload/api'
import { createElectronHost, readableMessage } from '../../../src/renderer/src/host/electron-host'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { allChannels, channelName } from '../../../src/shared/ipc'

/**
 * The desktop Host over the real preload api; the IPC port stands in for Electron's ipcRenderer
 * and clones every payload as Electron does (structuredClone), so a Vue proxy would fail here too.
 */
function port(responses: Partial<Record<string, unknown>>, paths = new Map<File, string>()) {
  const sent: { channel: string; payload: unknown }[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const ipc: IpcPort = {
    async invoke(channel, payload) {
      sent.push({ channel, payload: structuredClone(payload) })
      const answer = responses[channel]
      if (answer instanceof Error) throw new Error(`Error invoking remote method '${channel}': Error: ${answer.message}`)
      return answer
    },
    send(channel, payload) {
      sent.push({ channel, payload: structuredClone(payload) })
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set.add(listener))
      return () => void set.delete(listener)
    },
    // As webUtils.getPathForFile: '' for a File that is not a file on disk.
    pathForFile: (file) => paths.get(file) ?? '',
  }
  const emit = (channel: string, payload: unknown): void => listeners.get(channel)?.forEach((l) => l(payload))
  return { ipc, sent, emit, listeners }
}

describe('Electron host', () => {
  it('sends plain copies of reactive run configs', () => {
    const { ipc, sent } = port({})
    const host = createElectronHost(createApi(ipc))
    const configs = reactive(runConfigs(defaultExperiment()))
    host.train(3, configs, { record: true })
    host.step(3, 10)
    host.pace(3, 5)
    host.stop(3)
    expect(sent.map((s) => s.channel)).toEqual(
      ['training:start', 'training:step', 'training:pace', 'training:stop'].map((c) => channelName(...(c.split(':') as [string, string])))
    )
    // One job: the runs' shared configuration once, and their learning rates.
    const { learningRate, ...config } = runConfigs(defaultExperiment())[0]
    expect(sent[0].payload).toEqual({ runId: 3, job: { config, learningRates: [learningRate] }, options: { record: true } })
    expect(sent[2].payload).toEqual({ runId: 3, epochsPerSecond: 5 })
  })

  it('sends a save’s base stamp as a plain copy, even when it comes from a reactive recovered document', async () => {
    const { ipc, sent } = port({})
    const host = createElectronHost(createApi(ipc))
    const recovered = reactive({ file: { size: 3, mtimeMs: 1.5, sha256: 'a'.repeat(64) } })
    await host.saveExperiment('{}', '/a.bplab', 'a.bplab', recovered.file)
    expect(sent[0].payload).toEqual({ text: '{}', path: '/a.bplab', suggestedName: 'a.bplab', base: { size: 3, mtimeMs: 1.5, sha256: 'a'.repeat(64) } })
    await host.discardRecovery('recovery-x1')
    expect(sent[1]).toEqual({ channel: channelName('autosave', 'discard'), payload: { id: 'recovery-x1' } })
  })

  it('file errors arrive as the service’s sentence, without Electron’s prefix', async () => {
    const { ipc } = port({ [channelName('experiment', 'openRecent')]: new Error('Could not open "a.bplab": it does not exist.') })
    const host = createElectronHost(createApi(ipc))
    await expect(host.openRecent('/x/a.bplab')).rejects.toThrow(/^Could not open "a.bplab": it does not exist\.$/)
    expect(readableMessage("Error invoking remote method 'x:y': FileError: Disk full.")).toBe('Disk full.')
    expect(readableMessage('plain')).toBe('plain')
  })

  it('export reports progress while it runs and unsubscribes after', async () => {
    const xlsx = channelName('export', 'xlsx')
    const progress = channelName('export', 'progress')
    const { ipc, emit, listeners } = port({ [xlsx]: { name: 'a.xlsx', path: '/a.xlsx' } })
    const host = createElectronHost(createApi(ipc))
    const seen: number[] = []
    const pending = host.exportXlsx({ documentText: '{}', suggestedName: 'a' }, (f) => seen.push(f))
    emit(progress, 0.5)
    expect(await pending).toEqual({ name: 'a.xlsx', path: '/a.xlsx' })
    emit(progress, 0.9)
    expect(seen).toEqual([0.5])
    expect(listeners.get(progress)?.size).toBe(0)
  })

  it('menu commands, opened files, themes and training events reach the listeners', () => {
    const { ipc, emit } = port({})
    const host = createElectronHost(createApi(ipc))
    const got: unknown[] = []
    const offs = [
      host.onMenuCommand((c) => got.push(c)),
      host.onFileOpened((f) => got.push(f.name)),
      host.onTraining((e) => got.push(e.type)),
      host.onTheme((t) => got.push(`theme ${t}`)),
    ]
    emit(channelName('menu', 'command'), 'save')
    emit(channelName('file', 'opened'), { name: 'a.bplab', path: '/a.bplab', text: '{}' })
    emit(channelName('training', 'event'), { type: 'paused', runId: 1, run: 0, epochs: 3 })
    emit(channelName('view', 'theme'), 'dark')
    offs.forEach((off) => off())
    emit(channelName('menu', 'command'), 'open')
    emit(channelName('view', 'theme'), 'light')
    expect(got).toEqual(['save', 'a.bplab', 'paused', 'theme dark'])
    expect(allChannels().events).toHaveLength(6)
  })

  it('a dropped file opens by its path on disk through experiment:openPath; one with no path is left to the page', async () => {
    const openPath = channelName('experiment', 'openPath')
    const opened = { name: 'a.bplab', path: '/home/me/a.bplab', text: '{}' }
    const onDisk = new File(['{}'], 'a.bplab')
    const { ipc, sent } = port({ [openPath]: opened }, new Map([[onDisk, '/home/me/a.bplab']]))
    const host = createElectronHost(createApi(ipc))
    expect(await host.openDropped!(onDisk)).toEqual(opened)
    expect(sent).toEqual([{ channel: openPath, payload: { path: '/home/me/a.bplab' } }])
    expect(await host.openDropped!(new File(['{}'], 'made-in-js.bplab'))).toBeNull()
    expect(sent).toHaveLength(1)
  })
})
