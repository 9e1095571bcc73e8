import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SHORTCUTS } from '../../src/renderer/src/keyboard/shortcuts'
import { fill, openApp, screenshot, tableRows, waitForStatus, type App } from './harness'

/**
 * Issue 16, as a student meets the window: keys, the reason Train is disabled, the table's rows
 * and pinned E_tot, the header at small sizes, weights kept across a change of architecture, undo,
 * out-of-date results. Everything is measured from the page (boxes, counts, attributes).
 */
const SHEET_WEIGHTS = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]

async function status(page: Page): Promise<string | null> {
  return page.getAttribute('.progress', 'data-status')
}

/** Rows of the epoch table wholly on screen (inside the table and the window). */
async function rowsVisible(page: Page): Promise<number> {
  return page.evaluate(() => {
    const t = document.querySelector('[data-testid=epoch-table]')!.getBoundingClientRect()
    return [...document.querySelectorAll('[data-testid=epoch-table] .tr')].filter((r) => {
      const b = r.getBoundingClientRect()
      return b.top >= t.top && b.bottom <= t.bottom + 0.5 && b.bottom <= innerHeight && b.height > 0
    }).length
  })
}

/** Header controls and the progress figures that are outside the window or cut inside their box. */
async function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('header.top button, header.top select, [data-testid=progress], [data-testid=stop-summary]')]
      .filter((e) => {
        const b = e.getBoundingClientRect()
        const outside = b.left < 0 || b.top < 0 || b.right > innerWidth || b.bottom > innerHeight || b.width === 0
        return outside || e.scrollWidth > e.clientWidth + 1
      })
      .map((e) => `${(e.textContent ?? '').trim().slice(0, 40)} (${e.tagName})`)
  )
}

async function initialWeights(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid^=init-w]', (inputs) => inputs.map((i) => Number((i as HTMLInputElement).value)))
}

describe.each([
  [1024, 700],
  [1440, 900],
])('a student at %i×%i', (width, height) => {
  let app: App
  beforeAll(async () => {
    app = await openApp({ width, height })
  })
  afterAll(async () => {
    await app?.close()
  })
  beforeEach(async () => {
    await app.page.goto(app.url)
    await app.page.waitForSelector('[data-testid=train]')
  })

  it('the table owns the arrow keys; a run key never replaces a finished run without asking; ? and F1 list every shortcut', async () => {
    const { page } = app
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    await page.click('[data-testid=epoch-table] [data-epoch="3"] .pin')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await page.getAttribute('[data-testid=epoch-table] .td.sel', 'data-col')).toBe('w1')
    await page.keyboard.press('ArrowDown')
    expect(await page.getAttribute('[data-testid=epoch-table] .td.sel', 'data-col')).toBe('w1')
    expect(await page.locator('[data-testid=epoch-table] .tr.current').getAttribute('data-epoch')).toBe('4')
    expect(await status(page)).toBe('done')
    expect(await tableRows(page)).toBe(70)

    // Outside the table, → and Space ask before replacing the 70 epochs; Enter answers "Keep them".
    await page.click('.brand')
    await page.keyboard.press('ArrowRight')
    const ask = page.locator('[role=alertdialog]')
    expect(await ask.textContent()).toContain('This replaces the finished runs.')
    expect(await status(page)).toBe('done')
    await page.keyboard.press('Enter')
    expect(await ask.count()).toBe(0)
    expect(await status(page)).toBe('done')
    expect(await tableRows(page)).toBe(70)
    await page.keyboard.press('Space')
    await page.click('[data-testid=confirm-replace]')
    await waitForStatus(page, 'done')

    // Help: every shortcut, on ? and on F1; the buttons' tooltips carry their keys.
    await page.keyboard.press('?')
    const help = page.locator('[data-testid=help] [role=dialog]')
    expect(await help.locator('tr:not(.group)').count()).toBe(SHORTCUTS.length)
    const box = (await help.boundingBox())!
    expect(box.y + box.height).toBeLessThanOrEqual(height)
    await page.keyboard.press('Escape')
    expect(await page.locator('[data-testid=help]').count()).toBe(0)
    await page.keyboard.press('F1')
    expect(await help.isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    // The keyboard is back where it was: the table's arrows work again.
    await page.click('[data-testid=epoch-table] [data-epoch="2"] .pin')
    await page.keyboard.press('?')
    await page.keyboard.press('Escape')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('[data-testid=epoch-table] .tr.current').getAttribute('data-epoch')).toBe('3')
    expect(await page.getAttribute('[data-testid=train]', 'title')).toContain('Space')
    expect(await page.getAttribute('[data-testid=step]', 'title')).toContain('→')
  })

  it('shows why Train is disabled beside it, readable, and a click brings the field into view and focuses it', async () => {
    const { page } = app
    await fill(page, 'epochs', 'abc')
    const reason = page.locator('[data-testid=blocked-reason]')
    expect((await reason.textContent())?.trim()).toBe('Cannot train: epochs: enter a number')
    const r = (await reason.boundingBox())!
    const train = (await page.locator('[data-testid=train]').boundingBox())!
    expect(r.width).toBeGreaterThan(200)
    expect(r.x + r.width).toBeLessThanOrEqual(width)
    expect(r.y).toBeLessThan(train.y + train.height + 40) // beside Train, or on the header's next line
    expect(await reason.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(11)
    // The field is scrolled out of view first; the click brings it back and focuses it.
    await page.evaluate(() => document.querySelector('.editor-pane')!.scrollTo(0, 0))
    await page.locator('[data-testid=init-w1]').focus()
    await reason.click()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('epochs')
    const field = (await page.locator('[data-testid=epochs]').boundingBox())!
    expect(field.y).toBeGreaterThanOrEqual(0)
    expect(field.y + field.height).toBeLessThanOrEqual(height)

    await fill(page, 'epochs', '1e999')
    expect(await reason.textContent()).toContain('epochs: too large (at most 100,000,000)')
    await fill(page, 'epochs', '70')
    await fill(page, 'layer-size-1', '')
    expect(await reason.textContent()).toContain('Hidden: enter a number')
    await fill(page, 'layer-size-1', '2')
    await fill(page, 'sample-0-t1', '5')
    expect(await reason.count()).toBe(0)
    expect(await page.locator('[data-testid="warning-samples[0].targets[0]"]').textContent()).toMatch(
      /t1 = 5 can never be reached: a sigmoid only gives values between 0 and 1/
    )
  })

  it('the table: ten rows or more, E_tot pinned beside the epoch, the constant columns folded, a gradient cell selects its weight', async () => {
    const { page } = app
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    expect(await rowsVisible(page)).toBeGreaterThanOrEqual(10)
    // The README's picture at this size, once every view shows the finished run.
    await page.waitForFunction(() => !document.body.innerText.includes('Waiting for the first epoch'))
    await screenshot(page, `student-${width}x${height}`)
    const corner = (await page.locator('[data-testid=epoch-table] .corner').boundingBox())!
    const pinned = async (): Promise<{ x: number; text: string }> => {
      const head = page.locator('[data-testid=epoch-table] .pin-head')
      return { x: (await head.boundingBox())!.x, text: (await head.textContent())!.trim() }
    }
    expect(await pinned()).toEqual({ x: corner.x + corner.width, text: 'E_tot' })
    const names = (): Promise<string[]> => page.$$eval('[data-testid=epoch-table] .names .th', (t) => t.map((e) => e.textContent!.trim()))
    expect((await names())[0]).toBe('t, i (4)')
    expect(await names()).not.toContain('t1')
    await page.click('[data-testid=data-group]')
    expect((await names()).slice(0, 2)).toEqual(['t1', 't2'])
    expect(await names()).not.toContain('t, i (4)')
    await page.click('[data-testid=data-group]')

    // Jump to the far right: E_tot stays put, and no cell is cut (only whole cells are drawn).
    await page.selectOption('[data-testid=column-jump]', '∂E/∂w2')
    expect(await pinned()).toEqual({ x: corner.x + corner.width, text: 'E_tot' })
    const cut = await page.evaluate(() => {
      const t = document.querySelector('[data-testid=epoch-table]')!.getBoundingClientRect()
      const pin = document.querySelector('[data-testid=epoch-table] .pin-head')!.getBoundingClientRect()
      return [...document.querySelectorAll<HTMLElement>('[data-testid=epoch-table] [data-epoch="1"] .cells .td')].filter((c) => {
        const b = c.getBoundingClientRect()
        return (
          b.left < pin.right - 0.5 ||
          b.right > t.left + t.width - (t.width - (c.closest('.scroller') as HTMLElement).clientWidth) + 0.5 ||
          c.scrollWidth > c.clientWidth
        )
      }).length
    })
    expect(cut).toBe(0)
    // One notation per column.
    const mixed = await page.evaluate(() => {
      const byCol = new Map<string, Set<boolean>>()
      for (const c of document.querySelectorAll<HTMLElement>('[data-testid=epoch-table] .td')) {
        if (!c.textContent!.trim()) continue
        const s = byCol.get(c.dataset.col!) ?? new Set()
        s.add(/e/.test(c.textContent!))
        byCol.set(c.dataset.col!, s)
      }
      return [...byCol].filter(([, s]) => s.size > 1).map(([n]) => n)
    })
    expect(mixed).toEqual([])

    await page.click('[data-testid=epoch-table] [data-epoch="2"] [data-col="∂E/∂w2"]')
    expect(await page.inputValue('[data-testid=chain-rule-param]')).toBe('w2')

    // New clears what was typed in the epoch jump box.
    await fill(page, 'jump-input', '12')
    await page.click('header.top button:has-text("New")')
    await page.waitForFunction(() => (document.querySelector('[data-testid=jump-input]') as HTMLInputElement).value === '')
    expect(await page.inputValue('[data-testid=jump-input]')).toBe('')
  })

  it("keeps the sheet's weights through 2 → 3 → 2 hidden neurons, says so, marks old results out of date, and undoes every edit", async () => {
    const { page } = app
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    expect(await page.locator('[data-testid=out-of-date]').count()).toBe(0)
    await fill(page, 'layer-size-1', '3')
    await page.click('.brand') // leaving the field ends the edit: the next one is an undo step of its own
    const wide = await initialWeights(page)
    expect(wide).toHaveLength(12)
    expect([wide[0], wide[1], wide[2], wide[3], wide[6], wide[7], wide[9], wide[10]]).toEqual(SHEET_WEIGHTS)
    expect(await page.textContent('[data-testid=init-notice]')).toBe(
      'Kept 8 initial weights where their position still exists; drew 4 new ones (Xavier).'
    )
    expect(await page.textContent('[data-testid=out-of-date]')).toContain('Out of date')
    await fill(page, 'layer-size-1', '2')
    expect(await initialWeights(page)).toEqual(SHEET_WEIGHTS)
    expect(await page.locator('[data-testid=out-of-date]').count()).toBe(0) // the same experiment as the runs again

    await fill(page, 'learning-rates', '0.1, 0.5')
    expect(await page.locator('[data-testid=out-of-date]').count()).toBe(1)
    await page.keyboard.press('Control+z')
    expect(await page.inputValue('[data-testid=learning-rates]')).toBe('0.5')
    await page.keyboard.press('Control+z')
    expect(await page.inputValue('[data-testid=layer-size-1]')).toBe('3')
    expect(await initialWeights(page)).toEqual(wide)
    await page.keyboard.press('Control+Shift+Z')
    expect(await page.inputValue('[data-testid=layer-size-1]')).toBe('2')
    expect(await initialWeights(page)).toEqual(SHEET_WEIGHTS)
    await page.keyboard.press('Control+Shift+Z')
    expect(await page.inputValue('[data-testid=learning-rates]')).toBe('0.1, 0.5')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    expect(await page.locator('[data-testid=out-of-date]').count()).toBe(0)
  })
})

describe('the header down to the smallest window', () => {
  let app: App
  beforeAll(async () => {
    app = await openApp({ width: 1024, height: 700 })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('keeps every control and the progress visible at 1024×700, 800×600 and 640×480, and says where a stop left the run', async () => {
    const { page } = app
    // With a recent file, "Recent…" joins the header (it used to push the progress off screen).
    await page.evaluate(() =>
      localStorage.setItem('backprop-lab.recent', JSON.stringify([{ name: 'backpropagation sheet, second try.bplab', text: '{}' }]))
    )
    await page.reload()
    await page.waitForSelector('header.top select.recent')
    await fill(page, 'epochs', '100000000')
    await page.click('[data-testid=train]')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=progress] b')?.textContent?.replace(/,/g, '')) > 100_000)
    const SIZES = [
      [1024, 700],
      [800, 600],
      [640, 480],
    ]
    /** Resizes the window to each size and checks the header there. */
    const atEverySize = async (when: string, more?: () => Promise<void>): Promise<void> => {
      for (const [w, h] of SIZES) {
        await page.setViewportSize({ width: w, height: h })
        await page.waitForFunction((width) => document.documentElement.clientWidth === width, w)
        expect(await headerProblems(page), `${w}×${h} ${when}`).toEqual([])
        await more?.()
      }
    }
    await atEverySize('while running', async () => {
      expect(await page.textContent('[data-testid=progress]')).toMatch(/\/ 100,000,000 epochs · .* left/)
    })
    await page.click('[data-testid=stop]')
    await waitForStatus(page, 'done')
    const summary = (await page.textContent('[data-testid=stop-summary]'))!
    expect(summary).toMatch(/^Stopped at [\d,]+ of 100,000,000 epochs\.$/)
    await atEverySize('stopped')
  })
})
