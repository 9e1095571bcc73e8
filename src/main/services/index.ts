export { FileError } from '../../node/files/file-error'
export {
  atomicWrite,
  nodeFs,
  type AtomicFs,
  type AtomicOptions,
  type FileHandleLike,
  type SaveStep,
  type SaveTimings,
} from '../../node/files/atomic-write'
export { readExperimentFile, saveExperimentFile, MAX_FILE_BYTES } from '../../node/files/experiment-files'
export { RecentFiles, MAX_RECENT, type RecentFile } from './recent-files'
export { Autosave } from './autosave'
export { openAtomic, type AtomicFile } from '../../node/files/atomic-write'
export { changedSince, currentStamp, stampOf } from '../../node/files/file-stamp'
