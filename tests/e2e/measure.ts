import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { openApp, root, type App } from './harness'

/** The two window sizes issue 16 asks every view to work at. */
export const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const

/**
 * One app for the tests of a describe block, at `size`; before each test it is reloaded with its
 * layout and view settings cleared and the light theme. Read the app as `ctx.app` inside a test.
 */
export function appPerTest(size: { width: number; height: number }): { app: App } {
  const ctx = {} as { app: App }
  beforeAll(async () => {
    ctx.app = await openApp(size)
  })
  afterAll(async () => {
    await ctx.app?.close()
  })
  beforeEach(async () => {
    const { page } = ctx.app
    await page.emulateMedia({ colorScheme: 'light' })
    await page.evaluate(() => localStorage.clear())
    await page.reload()
    await page.waitForSelector('[data-testid=train]')
  })
  return ctx
}

export interface SmallestText {
  /** Rendered font size in screen pixels: the computed size times the SVG's scale, for SVG text. */
  px: number
  text: string
  /** How many rendered text nodes were measured. */
  count: number
}

/**
 * The smallest text drawn inside `root`, as measured from the page: every text node with a
 * rendered box (not hidden, not an SVG <title>), its computed font size multiplied by the scale of
 * its SVG's screen matrix (getScreenCTM), checked against the glyph box's own height.
 */
export async function smallestText(root: Locator): Promise<SmallestText> {
  return root.evaluate((el) => {
    let min = { px: Infinity, text: '', count: 0 }
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim()
      const parent = n.parentElement
      if (!text || !parent || parent.closest('title, desc, defs, .sr-only')) continue
      const style = getComputedStyle(parent)
      if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) continue
      const range = document.createRange()
      range.selectNodeContents(n)
      const box = range.getBoundingClientRect()
      if (!box.width || !box.height) continue
      let px = parseFloat(style.fontSize)
      if (parent instanceof SVGGraphicsElement) {
        const m = parent.getScreenCTM()
        if (m) px *= Math.hypot(m.a, m.b)
      }
      min.count++
      if (px < min.px) min = { px, text, count: min.count }
    }
    return min
  })
}

/** Whether the element's centre is on screen and it is what is drawn there (not clipped or covered). */
export async function isReachable(target: Locator): Promise<boolean> {
  await target.scrollIntoViewIfNeeded()
  return target.evaluate((el) => {
    const b = el.getBoundingClientRect()
    const x = b.left + b.width / 2
    const y = b.top + b.height / 2
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false
    const hit = document.elementFromPoint(x, y)
    return !!hit && (hit === el || el.contains(hit))
  })
}

const axeSource = readFileSync(resolve(root, 'node_modules/axe-core/axe.min.js'), 'utf8')

/** axe-core's violations on the page as it is, one line each (id, impact, first elements). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not apply to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> }
      }
    ).axe
    const { violations } = await axe.run(document)
    return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

/** Records the page's CSP violations from now on (read them with cspViolations). */
export async function watchCsp(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`))
  })
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? ['not watched'])
}
