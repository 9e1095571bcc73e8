import type { Api } from './api'

declare global {
  interface Window {
    /** Exposed by the preload in the desktop app; absent in the browser edition. */
    api?: Api
  }
}
