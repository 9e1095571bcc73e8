import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
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
  // A dropped file's path goes to the main process, which checks it before reading the file.
  pathForFile: (file) => webUtils.getPathForFile(file),
})

contextBridge.exposeInMainWorld('api', api)
