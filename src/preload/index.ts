import { contextBridge } from 'electron'

const api = { versions: { ...process.versions } }
contextBridge.exposeInMainWorld('api', api)
export type Api = typeof api
