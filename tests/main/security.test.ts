import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY, contentSecurityPolicy, isAppUrl, isTrustedSender, resolveAppFile, webPreferences } from '../../src/main/security'
import { metaPolicy } from '../../src/shared/csp'
import { cspMetaPlugin } from '../../vite-plugins/csp-meta'

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values])
  )
}

describe('window web preferences', () => {
  const prefs = webPreferences('/app/out/preload/index.cjs')

  it('isolate, sandbox and keep Node out of every page', () => {
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(prefs.enableBlinkFeatures ?? '').toBe('')
  })

  it('the preload is the CommonJS bundle (a sandboxed preload cannot be an ES module)', () => {
    expect(prefs.preload).toMatch(/\.cjs$/)
  })
})

describe('content security policy', () => {
  for (const dev of [false, true]) {
    it(`${dev ? 'development' : 'packaged'}: self only, no eval, no remote origin`, () => {
      const csp = contentSecurityPolicy({ dev })
      const d = directives(csp)
      expect(d.get('default-src')).toEqual(["'self'"])
      expect(d.get('script-src')).toEqual(["'self'"])
      expect(d.get('object-src')).toEqual(["'none'"])
      expect(d.get('base-uri')).toEqual(["'none'"])
      expect(d.get('frame-ancestors')).toEqual(["'none'"])
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).not.toMatch(/https?:/)
      expect(csp).not.toContain('*.')
      // Nothing but the local dev server's websocket (HMR) outside 'self'.
      const remote = [...d.values()].flat().filter((v) => !/^'.*'$/.test(v) && !['data:', 'blob:'].includes(v))
      expect(remote).toEqual(dev ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [])
    })
  }

  it('inline styles only in development', () => {
    expect(contentSecurityPolicy({ dev: false })).not.toContain('unsafe-inline')
    expect(contentSecurityPolicy({ dev: false, meta: true })).not.toContain('unsafe-inline')
    expect(directives(contentSecurityPolicy({ dev: true })).get('style-src')).toContain("'unsafe-inline'")
  })

  it('the meta tag carries the header policy, less frame-ancestors (which a meta tag cannot set)', () => {
    for (const dev of [false, true]) {
      const header = directives(contentSecurityPolicy({ dev }))
      header.delete('frame-ancestors')
      expect(directives(contentSecurityPolicy({ dev, meta: true }))).toEqual(header)
    }
  })

  it("index.html's meta tag is the policy; the build plugin writes it, the development one on the dev server", () => {
    const html = readFileSync(resolve(__dirname, '../../src/renderer/index.html'), 'utf8')
    expect(metaPolicy(html)).toBe(contentSecurityPolicy({ dev: false, meta: true }))
    const plugin = cspMetaPlugin()
    const stale = html.replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
    expect(metaPolicy(plugin.transformIndexHtml(stale, {}))).toBe(contentSecurityPolicy({ dev: false, meta: true }))
    expect(metaPolicy(plugin.transformIndexHtml(html, { server: {} }))).toBe(contentSecurityPolicy({ dev: true, meta: true }))
    expect(plugin.transformIndexHtml(html, {}).replace(/content="[^"]*"/g, '')).toBe(html.replace(/content="[^"]*"/g, ''))
    expect(() => plugin.transformIndexHtml('<html><head></head></html>', {})).toThrow(/no Content-Security-Policy meta/)
  })
})

describe('app URLs', () => {
  it('packaged: only app://bundle is the app', () => {
    expect(isAppUrl(APP_ENTRY)).toBe(true)
    expect(isAppUrl('app://bundle/assets/index.js')).toBe(true)
    expect(isAppUrl('app://other/index.html')).toBe(false)
    expect(isAppUrl('file:///etc/passwd')).toBe(false)
    expect(isAppUrl('https://example.com/')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
  })

  it('development: only the local dev server', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('app://bundle/index.html', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('http://evil.test:5173/', 'http://evil.test:5173')).toBe(false)
  })

  it('IPC is trusted only from the top frame of the app window, on an app page', () => {
    const page = { url: 'app://bundle/index.html', isTop: true }
    expect(isTrustedSender({ fromAppWindow: true, frame: page })).toBe(true)
    expect(isTrustedSender({ fromAppWindow: false, frame: page })).toBe(false)
    expect(isTrustedSender({ fromAppWindow: true, frame: { ...page, isTop: false } })).toBe(false)
    expect(isTrustedSender({ fromAppWindow: true, frame: { url: 'https://evil.test/', isTop: true } })).toBe(false)
    expect(isTrustedSender({ fromAppWindow: true, frame: null })).toBe(false)
    expect(isTrustedSender({ fromAppWindow: true, frame: { url: 'http://localhost:5173/', isTop: true } }, 'http://localhost:5173')).toBe(
      true
    )
  })

  it('app:// serves files inside the renderer folder and nothing outside it', () => {
    const dir = '/app/out/renderer'
    expect(resolveAppFile('app://bundle/', dir)).toBe('/app/out/renderer/index.html')
    expect(resolveAppFile('app://bundle/index.html', dir)).toBe('/app/out/renderer/index.html')
    expect(resolveAppFile('app://bundle/assets/index-1.js?x=1#y', dir)).toBe('/app/out/renderer/assets/index-1.js')
    expect(resolveAppFile('app://bundle/a%20b.css', dir)).toBe('/app/out/renderer/a b.css')
    for (const bad of [
      'app://bundle/..%2f..%2fsecret',
      'app://bundle/a%5c..%5c..%5cx',
      'app://bundle/%00',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://bundle/%E0%A4%A',
    ])
      expect(resolveAppFile(bad, dir), bad).toBeNull()
    // Dot segments, plain or encoded, are resolved by the URL parser and cannot climb out.
    for (const url of ['app://bundle/../../main/index.js', 'app://bundle/%2e%2e/%2e%2e/main/index.js', 'app://bundle/a/./../b.js']) {
      const file = resolveAppFile(url, dir)
      expect(file, url).toMatch(/^\/app\/out\/renderer\/[^.]/)
      expect(file).not.toContain('..')
    }
    expect(resolveAppFile('app://bundle/x.js', 'C:\\app\\renderer\\', '\\')).toBe('C:\\app\\renderer\\x.js')
  })
})
