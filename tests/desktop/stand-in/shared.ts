import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** What every piece of the stand-in shares: page scripts, the clone codec, the record of what happened. */
const here = dirname(fileURLToPath(import.meta.url))
// Each page script is one parenthesised function expression; Prettier puts a ';' before its '('.
export const pageScript = (name: string): string => readFileSync(join(here, 'page', name), 'utf8').replace(/^;\(/m, '(')

export interface Codec {
  encode(value: unknown): unknown
  decode(data: unknown): unknown
}
// The same codec text runs in both worlds of every page (page/codec.js).
export const codec = (0, eval)(`(\n${pageScript('codec.js')}\n)`)() as Codec

/** Thrown for anything outside the API surface the stand-in implements, so drift shows. */
export function notInStandIn(name: string): never {
  throw new Error(`${name} is not in the Electron stand-in`)
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f))

/** An object whose unknown properties throw instead of reading as undefined. */
export function strict<T extends object>(owner: string, target: T, bind = true): T {
  return new Proxy(target, {
    get(t, name, receiver) {
      if (typeof name === 'symbol' || name in t) {
        const value = Reflect.get(t, name, receiver)
        // Methods run on the object itself, so identity checks inside the stand-in hold.
        return bind && typeof value === 'function' && !isClass(value) ? value.bind(t) : value
      }
      // Promise resolution and inspection probe these; they are not API use.
      if (name === 'then' || name === 'toJSON' || name === 'inspect') return undefined
      return notInStandIn(`${owner}${name}`)
    },
  })
}

/** app://host/path is served to Chromium as https://host.app-scheme.invalid/path (Chromium alone has no app:// scheme). */
export function toChromiumUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(url)
  if (!m || ['http', 'https', 'data', 'blob', 'about', 'file'].includes(m[1].toLowerCase())) return url
  return `https://${m[2]}.${m[1]}-scheme.invalid${m[3] ?? '/'}`
}
export function fromChromiumUrl(url: string): string {
  const m = /^https:\/\/([^/]*)\.([a-z][a-z0-9+.-]*)-scheme\.invalid(\/.*)?$/i.exec(url)
  return m ? `${m[2]}://${m[1]}${m[3] ?? '/'}` : url
}

export type DialogAnswer =
  { type: 'open'; filePaths: string[] | null } | { type: 'save'; filePath: string | null } | { type: 'message'; response: number }

/** Everything the tests may ask about afterwards. */
export interface StandInLog {
  dialogs: { type: string; options: unknown }[]
  errorBoxes: { title: string; content: string }[]
  blockedRequests: string[]
  preventedNavigations: string[]
  windowOpens: { url: string; action: string }[]
  permissionRequests: { permission: string; url: string; granted: boolean }[]
  preloadErrors: string[]
  consoleErrors: string[]
  refusedIpc: string[]
  /** Problems in how main used the stand-in (a dialog with no scripted answer, …): a test fails on any. */
  misuse: string[]
  sendsAfterQuit: string[]
  /** Messages main sent to pages. */
  delivered: { messages: number }
}

export const log: StandInLog = {
  dialogs: [],
  errorBoxes: [],
  blockedRequests: [],
  preventedNavigations: [],
  windowOpens: [],
  permissionRequests: [],
  preloadErrors: [],
  consoleErrors: [],
  refusedIpc: [],
  misuse: [],
  sendsAfterQuit: [],
  delivered: { messages: 0 },
}

export const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}
