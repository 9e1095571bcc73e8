import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createApi } from './api'

// The page gets window.api and nothing else: never ipcRenderer or its event objects.
const api = createApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  send: (channel, payload) => ipcRenderer.send(channel, payload),
  on(channel, listener) {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => void ipcRenderer.removeListener(channel, wrapped)
  },
})

contextBridge.exposeInMainWorld('api', api)
