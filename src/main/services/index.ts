export { FileError } from './file-error'
export {
  atomicWrite,
  nodeFs,
  type AtomicFs,
  type AtomicOptions,
  type FileHandleLike,
  type SaveStep,
  type SaveTimings,
} from './atomic-write'
export { readExperimentFile, saveExperimentFile, MAX_FILE_BYTES } from './experiment-files'
export { RecentFiles, MAX_RECENT, type RecentFile } from './recent-files'
export { Autosave } from './autosave'
export { openAtomic, type AtomicFile } from './atomic-write'
export { changedSince, currentStamp, stampOf } from './file-stamp'
