import { pathToFileURL } from 'node:url'
import { sep } from 'node:path'
import { net, protocol, type Session } from 'electron'
import { APP_SCHEME, contentSecurityPolicy, resolveAppFile } from './security'

/** Must run before the app is ready: app:// behaves like https for the renderer (modules, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ])
}

/**
 * Serves the built renderer from app://bundle/ with the CSP as a response header. Only files
 * inside the renderer folder are served; anything else is a 404.
 */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir, sep)
    if (!file) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', contentSecurityPolicy({ dev: false }))
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}

/** The same CSP on every http(s) response too (the dev server's pages). */
export function enforceCspHeader(session: Session, dev: boolean): void {
  const csp = contentSecurityPolicy({ dev })
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
}
