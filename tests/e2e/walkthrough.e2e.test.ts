import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fill, openApp, slide, waitForStatus, type App } from './harness'
import { axeViolations } from './measure'

/**
 * The walk-through's controls in Chromium (issue 17, part 1): keys, Play at an adjustable pace on
 * the page's fake clock (Playwright's), the matrix view, and a network of more than 40 steps, whose
 * steps group by layer. The checker's e2e (check-spreadsheet.e2e.test.ts) walks a failing epoch and
 * checks the diagram, table and formula highlighting.
 */
let app: App

beforeAll(async () => {
  app = await openApp()
  // Time runs on its own until a test pauses it; then only runFor moves it.
  await app.page.clock.install()
  await app.page.reload()
  await app.page.waitForSelector('[data-testid=train]')
})
afterAll(async () => {
  await app?.close()
})

const position = (): Promise<string | null> => app.page.textContent('[data-testid=walk-position]')

describe('walking through an epoch in Chromium', () => {
  it('steps by key, plays at the pace set, and shows the matrix form with its shapes', async () => {
    const { page } = app
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    await fill(page, 'jump-input', '5')
    await page.press('[data-testid=jump-input]', 'Enter')
    await page.click('[data-testid=walkthrough-open]')
    expect(await page.textContent('[data-testid=walkthrough] header strong')).toBe('Epoch 5, η = 0.5')

    // The drawer has the keyboard once open: → steps it instead of training an epoch.
    await page.keyboard.press('ArrowRight')
    expect(await position()).toBe('2 / 31')
    expect(await page.textContent('[data-testid=row-count]')).toBe('70 epochs')
    await page.keyboard.press('End')
    expect(await position()).toBe('31 / 31')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-phase')).toBe('update')
    await page.keyboard.press('Home')
    expect(await position()).toBe('1 / 31')
    await page.keyboard.press('ArrowDown')
    expect(await position()).toBe('2 / 31')

    // Play at 0.5 s a step, on a paused clock: a step per 500 ms, none before.
    const now = await page.evaluate(() => Date.now())
    await page.clock.pauseAt(now + 1000)
    await slide(app.page, 'walk-pace', 500)
    await page.click('[data-testid=walk-play]')
    expect(await page.textContent('[data-testid=walk-play]')).toBe('Pause')
    await page.clock.runFor(499)
    expect(await position()).toBe('2 / 31')
    await page.clock.runFor(1)
    expect(await position()).toBe('3 / 31')
    await page.clock.runFor(1000)
    expect(await position()).toBe('5 / 31')
    // A slower pace applies at once, while playing.
    await slide(app.page, 'walk-pace', 2000)
    await page.clock.runFor(1999)
    expect(await position()).toBe('5 / 31')
    await page.clock.runFor(1)
    expect(await position()).toBe('6 / 31')
    // Space pauses (and does not train: the window's Space is not reached).
    await page.focus('[data-testid=walkthrough]')
    await page.keyboard.press(' ')
    expect(await page.textContent('[data-testid=walk-play]')).toBe('Play')
    await page.clock.runFor(10_000)
    expect(await position()).toBe('6 / 31')
    await waitForStatus(page, 'done')
    // Played to the end, it stops there.
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press(' ')
    await page.clock.runFor(6000)
    expect(await position()).toBe('31 / 31')
    expect(await page.textContent('[data-testid=walk-play]')).toBe('Play')
    await page.clock.resume()

    await page.check('[data-testid=walk-matrix]')
    // The matrix form replaces the list: each operation typeset with its shapes, then its matrices.
    const formulas = page.locator('[data-testid=walk-matrix-formula]')
    expect(await formulas.evaluateAll((els) => els.map((e) => e.getAttribute('data-text')))).toContain('δ¹ = (W²)ᵀ·δ² ⊙ f′(z¹)')
    expect(await formulas.first().getAttribute('data-text')).toBe('z¹ = W¹·a⁰')
    expect(await formulas.first().locator('.shapes').getAttribute('data-text')).toBe('(2×2)·(2×1) = (2×1)')
    expect(await formulas.first().locator('math').count()).toBe(2)
    expect(await page.locator('[data-testid=walk-matrix-steps] table').first().locator('tr').count()).toBe(2)
    expect(await page.locator('[data-testid=walk-matrix-steps] math merror').count()).toBe(0)
    expect(await page.locator('[data-testid=walkthrough] .steps').count()).toBe(0)
    // The current step (the last update, of W²) marks its operation; stepping back to a δ of the hidden layer moves the mark.
    const nowOp = page.locator('[data-testid=walk-matrix-steps] li.now [data-testid=walk-matrix-formula]')
    expect(await nowOp.getAttribute('data-text')).toBe('W² ← W² − η·∂E/∂W²')
    await page.focus('[data-testid=walkthrough]')
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowLeft')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('∂E/∂w3')
    expect(await nowOp.getAttribute('data-text')).toBe('∂E/∂W¹ = δ¹·(a⁰)ᵀ')
    // axe-core finds nothing in the drawer, the highlighted diagram or the outlined table.
    expect(await axeViolations(page)).toEqual([])
    await page.focus('[data-testid=walkthrough]')
    await page.keyboard.press('Escape')
    expect(await page.isVisible('[data-testid=walkthrough]')).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('walkthrough-open')
    expect(app.errors).toEqual([])
  })

  it('a network of more than 40 steps groups them by layer; the current step’s group opens', async () => {
    const { page } = app
    await page.click('text=+ hidden layer')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    await page.click('[data-testid=walkthrough-open]')
    await page.uncheck('[data-testid=walk-matrix]')
    // 2-2-2-2: 12 forward, 3 loss, 6 δ and 12 gradients, 12 updates.
    expect(await position()).toBe('1 / 45')
    const groups = page.locator('[data-testid=walkthrough] .group button')
    expect(await groups.allTextContents()).toEqual([
      'Forward, layer 1 (4)', 'Forward, layer 2 (4)', 'Forward, layer 3 (4)', 'Loss (3)',
      'Backward, layer 3 (6)', 'Backward, layer 2 (6)', 'Backward, layer 1 (6)',
      'Update, layer 1 (4)', 'Update, layer 2 (4)', 'Update, layer 3 (4)',
    ])
    const steps = page.locator('[data-testid=walkthrough] .steps li:not(.group)')
    expect(await steps.count()).toBe(0)
    await groups.nth(4).click()
    expect(await groups.nth(4).getAttribute('aria-expanded')).toBe('true')
    expect(await steps.count()).toBe(6)
    // "How is ∂E/∂w1 computed?": its group opens, the diagram lights w1 and the path through both later layers.
    const ask = await page.$eval('[data-testid=walk-ask]', (el) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes('∂E/∂w1 '))!.value)
    await page.selectOption('[data-testid=walk-ask]', ask)
    expect(await groups.nth(6).getAttribute('aria-expanded')).toBe('true')
    expect(await page.locator('[data-testid=walkthrough] .steps li.now').textContent()).toMatch(/^\s*∂E\/∂w1 = /)
    const diagram = page.locator('[data-testid=network-diagram]')
    const walkOf = (name: string): Promise<string | null> => diagram.locator(`[data-testid=edge-${name}]`).getAttribute('data-walk')
    expect(await Promise.all(['w1', 'w2', 'w5', 'w7', 'w6', 'w9', 'w12'].map(walkOf))).toEqual(['active', '', 'path', 'path', '', 'path', 'path'])
    expect(await axeViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
  })
})
