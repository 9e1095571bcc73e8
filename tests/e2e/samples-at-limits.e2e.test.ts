import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { largestSamplesExperiment } from '../fixtures/large-experiment'
import { openApp, withoutFilePickers, type App } from './harness'

/**
 * The samples editor at the format's limits, in Chromium: a file of 10,000 samples × 512 inputs
 * and 512 targets (10,240,000 values) opens through the page's Open, the page holds a few hundred
 * inputs rather than one per value, and a value scrolled to at the far corner can be edited.
 * Responsiveness is judged by what the page holds and does, not by a clock.
 */
let app: App
beforeAll(async () => {
  app = await openApp()
  await withoutFilePickers(app)
})
const dir = mkdtempSync(join(tmpdir(), 'bplab-limits-'))
afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

const inputCount = (): Promise<number> => app.page.evaluate(() => document.querySelectorAll('input').length)

describe('the samples editor at the format’s limits, in Chromium', () => {
  it('opens 10,240,000 values with a few hundred inputs, scrolls to the last one and edits it', async () => {
    const { page } = app
    const before = await inputCount()
    // Handed to the file input by path: a 50 MB buffer through the protocol is slower than the app.
    const file = join(dir, 'limits.json')
    writeFileSync(file, JSON.stringify(largestSamplesExperiment()))
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Control+O')])
    await chooser.setFiles(file)
    await page.waitForFunction(() => /10,000 samples × 512 inputs, 512 targets/.test(document.querySelector('[data-testid=samples-size]')?.textContent ?? ''), undefined, {
      timeout: 120_000,
    })
    const grid = page.locator('[data-testid=samples-grid]')
    expect(await grid.locator('input').count()).toBeGreaterThan(0)
    expect(await grid.locator('input').count()).toBeLessThan(400)
    expect(await inputCount()).toBeLessThan(before + 400)

    // The far corner: sample 10,000's last target.
    await grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight
      el.scrollLeft = el.scrollWidth
    })
    const last = page.locator('[data-testid="sample-9999-t512"]')
    await last.waitFor({ timeout: 30_000 })
    expect(await last.inputValue()).toBe(String(largestSamplesExperiment().samples[9999].targets[511]))
    expect(await page.locator('[data-testid="sample-0-i1"]').count()).toBe(0) // the first row is no longer drawn
    expect(await grid.locator('input').count()).toBeLessThan(400)

    await last.fill('0.25')
    await page.waitForFunction(() => document.title.includes('unsaved'), undefined, { timeout: 60_000 })
    await last.fill('x')
    await page.waitForFunction(() => document.querySelector('[data-testid="sample-9999-t512"]')?.getAttribute('aria-invalid') === 'true', undefined, {
      timeout: 60_000,
    })
    expect(await page.textContent('[data-testid=blocked-reason]')).toMatch(/sample 10000 .*t512: .*number/)
    expect(app.errors).toEqual([])
  })
})
