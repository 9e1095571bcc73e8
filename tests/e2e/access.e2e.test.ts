import { describe, expect, it } from 'vitest'
import { fill, waitForStatus, type App } from './harness'
import { appPerTest, axeViolations, cspViolations, SIZES, smallestText, watchCsp } from './measure'

/**
 * Issue 16 items 7, 8 and 12 at 1024×700 and 1440×900: axe-core finds nothing in either theme;
 * the diagram's weights, the chart's zoom and the legend's rows work from the keyboard alone; the
 * weight editor explains a bad value and Escape cancels; the chain rule is MathML under the strict
 * CSP, a sentence per step, and a job that keeps only E_tot says so.
 */

const focusedKey = (app: App): Promise<string | null> => app.page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null)

describe.each(SIZES)('access at $width×$height', ({ width, height }) => {
  const ctx = appPerTest({ width, height })

  it('diagram weights by keyboard; the editor explains a bad value on Enter and Escape cancels', async () => {
    const { app } = ctx
    const { page } = app
    // One tab stop for all the weights: the first.
    expect(await page.locator('[data-testid=network-diagram] [tabindex="0"]').count()).toBe(1)
    // From the editor's last field, one Tab reaches the weights.
    await page.focus('[data-testid=shuffle-seed]')
    await page.keyboard.press('Tab')
    expect(await focusedKey(app)).toBe('w1')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await focusedKey(app)).toBe('w5')
    await expect.poll(() => page.textContent('[data-testid=diagram-readout]')).toBe('w5: h1 → o1 = 0.4')

    // Enter edits; a value that is not a number is explained, readable, and the editor stays.
    await page.keyboard.press('Enter')
    const input = page.locator('[data-testid=weight-input-w5]')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('weight-input-w5')
    await page.keyboard.type('abc')
    await page.keyboard.press('Enter')
    const error = page.locator('[data-testid=weight-error-w5]')
    await expect.poll(() => error.count()).toBe(1)
    expect(await error.textContent()).toBe('“abc” is not a number. Enter one such as 0.25 or −1.5 (Escape keeps 0.4).')
    expect(await error.getAttribute('role')).toBe('alert')
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    expect((await smallestText(page.locator('.weight-editor'))).px).toBeGreaterThanOrEqual(12)
    expect(await axeViolations(page)).toEqual([])
    // Escape: nothing changes, the focus is back on w5.
    await page.keyboard.press('Escape')
    await expect.poll(() => input.count()).toBe(0)
    expect(await page.getAttribute('[data-testid=edge-w5]', 'data-value')).toBe('0.4')
    expect(await page.inputValue('[data-testid=init-w5]')).toBe('0.4')
    expect(await focusedKey(app)).toBe('w5')

    // End goes to w8; Enter, a number, Enter: the experiment has it.
    await page.keyboard.press('End')
    expect(await focusedKey(app)).toBe('w8')
    await page.keyboard.press('Enter')
    await page.keyboard.type('−0.7')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getAttribute('[data-testid=edge-w8]', 'data-value')).toBe('-0.7')
    expect(await page.inputValue('[data-testid=init-w8]')).toBe('-0.7')
    expect(app.errors).toEqual([])
  })

  it('axe-core: no violation on the trained page, light and dark, with six runs', async () => {
    const { app } = ctx
    const { page } = app
    await fill(page, 'learning-rates', '0.1, 0.2, 0.5, 1, 2, 5')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    expect(await axeViolations(page)).toEqual([])
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 23, 28)')
    expect(await axeViolations(page)).toEqual([])
    // A view filling the window changes nothing for axe.
    await page.click('[data-testid=enlarge-chain]')
    expect(await axeViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
  })

  it('chart zoom and legend rows by keyboard', async () => {
    const { app } = ctx
    const { page } = app
    await fill(page, 'learning-rates', '0.5, 1, 2')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    const chart = page.locator('[data-testid=loss-chart]')
    const range = async (): Promise<number[]> => ((await chart.getAttribute('data-range')) || '').split('-').filter(Boolean).map(Number)
    await chart.focus()
    await page.keyboard.press('+')
    await expect.poll(async () => (await range()).length).toBe(2)
    const [a, b] = await range()
    expect(b - a).toBeLessThan(70 * 0.8)
    await page.keyboard.press('+')
    const [c, d] = await range()
    expect(d - c).toBeLessThan(b - a)
    await page.keyboard.press('ArrowLeft')
    const [e, f] = await range()
    expect(e).toBeLessThan(c)
    expect(f - e).toBeCloseTo(d - c, 6)
    await page.keyboard.press('-')
    expect((await range())[1] - (await range())[0]).toBeGreaterThan(f - e)
    await page.keyboard.press('0')
    expect(await range()).toEqual([])

    // The legend: Tab from the plot reaches its rows (the scrolling box, then each η button); Enter and Space select runs.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('legend-box'))).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('loss-legend-pick-0')
    const pressed = (i: number) => page.getAttribute(`[data-testid=loss-legend-pick-${i}]`, 'aria-pressed')
    expect(await pressed(0)).toBe('true')
    await page.focus('[data-testid=loss-legend-pick-2]')
    await page.keyboard.press('Enter')
    await expect.poll(() => pressed(2)).toBe('true')
    expect(await pressed(0)).toBe('false')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press(' ')
    await expect.poll(() => pressed(1)).toBe('true')
    expect((await chart.getAttribute('data-line-widths'))!.split(',').map(Number)).toEqual([1.5, 3.5, 1.5])
    expect(app.errors).toEqual([])
  })

  it('chain rule: MathML under the strict CSP, a sentence per step, no term cut; a job keeping only E_tot says so', async () => {
    const { app } = ctx
    const { page } = app
    await watchCsp(page)
    // The control: a style attribute arriving in markup is refused and reported (and logged, which is the probe's, not the app's).
    const logged = app.errors.length
    await page.evaluate(() => {
      const probe = document.createElement('div')
      probe.innerHTML = '<span style="color: red">probe</span>'
      document.body.append(probe)
      probe.remove()
    })
    await expect.poll(async () => (await cspViolations(page)).length).toBe(1)
    await expect.poll(() => app.errors.length).toBe(logged + 1)
    expect(app.errors.splice(logged)[0]).toMatch(/violates the following Content Security Policy directive 'style-src 'self''/)
    await watchCsp(page)
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    const view = page.locator('[data-testid=chain-rule]')
    await expect.poll(() => view.locator('[data-testid=chain-rule-result]').count()).toBe(1)
    expect(await view.locator('[data-testid=chain-rule-chain] math mfrac').count()).toBe(5)
    const steps = view.locator('[data-testid=chain-rule-step]')
    expect(await steps.count()).toBe(2)
    for (const say of await steps.locator('.say').allTextContents()) expect(say).toMatch(/^How much E_total changes when .+\.$/)
    // Each term keeps to one line, and none is cut at the panel's edge.
    const pieces = await view.locator('.piece').evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect()
        const line = el.closest('.math')!.getBoundingClientRect()
        return { height: box.height, inside: box.right <= line.right + 0.5 }
      })
    )
    expect(pieces.length).toBeGreaterThan(10)
    for (const p of pieces) {
      expect(p.height).toBeLessThan(40)
      expect(p.inside).toBe(true)
    }
    const text = await smallestText(view)
    expect(text.px).toBeGreaterThanOrEqual(11)
    expect(await cspViolations(page)).toEqual([])

    // Five million epochs at two rates is more than the app records: only E_tot is kept.
    await page.click('[data-testid=reset]')
    await fill(page, 'epochs', '5000000')
    await fill(page, 'learning-rates', '0.5, 1')
    await page.click('[data-testid=train]')
    const onlyLoss = /^Only E_tot is recorded: .* The chain rule needs every column of an epoch, so there is none to show it with/
    await expect.poll(() => view.locator('[data-testid=chain-rule-message]').textContent()).toMatch(onlyLoss)
    await page.click('[data-testid=stop]')
    await waitForStatus(page, 'done')
    expect(await view.locator('[data-testid=chain-rule-message]').textContent()).toMatch(onlyLoss)
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
  })
})
