/**
 * The one Content-Security-Policy of the app's pages: the desktop app sends it as a response
 * header (src/main/app-protocol.ts) and every build writes it into index.html's meta tag (the web
 * edition has no other), so the two cannot drift apart.
 *
 * No 'unsafe-eval' and no remote origin anywhere. Styles come only from the built stylesheet:
 * Vue's `:style` bindings and Chart.js set styles through the CSSOM (element.style), which a CSP
 * does not restrict, and the built renderer creates no <style> element and no style attribute
 * (checked in Chromium against this policy with every inline style refused). Only the dev server
 * needs 'unsafe-inline' for styles: Vite injects the CSS as <style> elements there. Images allow
 * data: and blob: for the chart's PNG snapshot; the training worker is a file of its own ('self').
 */
export function contentSecurityPolicy(options: { dev: boolean; meta?: boolean }): string {
  const directives: [string, string][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', options.dev ? "'self' 'unsafe-inline'" : "'self'"],
    ['img-src', "'self' data: blob:"],
    ['font-src', "'self'"],
    ['connect-src', options.dev ? "'self' ws://localhost:* ws://127.0.0.1:*" : "'self'"],
    ['worker-src', "'self'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ]
  // Browsers ignore frame-ancestors in a meta tag, with a console error: header only.
  if (!options.meta) directives.push(['frame-ancestors', "'none'"])
  return directives.map(([name, value]) => `${name} ${value}`).join('; ')
}

export const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i

/** The policy of an index.html's CSP meta tag, or null when it has none. */
export function metaPolicy(html: string): string | null {
  return CSP_META.exec(html)?.[2] ?? null
}
