import { contentSecurityPolicy, CSP_META, metaPolicy } from '../src/shared/csp'

/**
 * A Vite plugin that writes the policy (src/shared/csp.ts) into index.html's CSP meta tag, the
 * development one on the dev server. An index.html without the tag fails the build rather than
 * ship without a policy.
 */
export function cspMetaPlugin(): {
  name: string
  transformIndexHtml(html: string, ctx: { server?: unknown }): string
} {
  return {
    name: 'backprop-lab:csp-meta',
    transformIndexHtml(html, ctx) {
      if (metaPolicy(html) === null) throw new Error('index.html has no Content-Security-Policy meta tag')
      const policy = contentSecurityPolicy({ dev: !!ctx.server, meta: true })
      return html.replace(CSP_META, (_, open: string, _old: string, close: string) => `${open}${policy}${close}`)
    },
  }
}
