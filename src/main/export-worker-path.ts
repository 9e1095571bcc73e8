// The only file that names the export worker through electron-vite: the build turns this import
// into the path of the bundled worker; under vitest it is undefined, so tests pass a path themselves.
import workerPath from '../node/export/worker?modulePath'

export default workerPath
