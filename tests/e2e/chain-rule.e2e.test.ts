import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSheet, relativeError } from '../shared/reference'
import { openApp, screenshot, waitForStatus, type App } from './harness'

const sheet = loadSheet()
const first = sheet.eta_0_5.rows[0]

/** Every number written in a text (bracketed negatives included). */
const numbersIn = (text: string): number[] => (text.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number)

let app: App

beforeAll(async () => {
  app = await openApp()
})
afterAll(async () => {
  await app?.close()
})

describe('the chain-rule view in Chromium', () => {
  it('∂E/∂w5 at epoch 1 shows the numbers of the sheet’s first row, and ∂E/∂w1 its sum over both paths', async () => {
    const { page } = app
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    // 15 significant digits: the sheet's own precision.
    await page.selectOption('[data-testid=precision]', '15')

    const view = page.locator('[data-testid=chain-rule]')
    await expect.poll(() => view.locator('[data-testid=chain-rule-result]').count()).toBe(1)
    const formula = await view.locator('[data-testid=chain-rule-expanded] .line').first().getAttribute('data-text')
    expect(formula).toBe('∂E/∂w5 = (out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1')
    const numbersLine = view.locator('[data-testid=chain-rule-numbers]')
    const numbers = numbersIn((await numbersLine.getAttribute('data-text'))!)
    // What is drawn: MathML numbers, the same ones.
    expect((await numbersLine.locator('mn').allTextContents()).map(Number)).toEqual(numbers)
    const expected = [first.out_o1, first.t1, first.out_o1, 1, first.out_o1, first.out_h1]
    expect(numbers).toHaveLength(expected.length)
    numbers.forEach((n, i) => expect(relativeError(n, expected[i]), `number ${i + 1}: ${n}`).toBeLessThan(1e-14))
    const result = Number(await view.locator('[data-testid=chain-rule-result]').textContent())
    expect(relativeError(result, first['𝟃E/𝟃w5'])).toBeLessThan(1e-14)
    expect(await view.locator('[data-testid=chain-rule-check]').textContent()).toMatch(/✓ equals the table's ∂E\/∂w5 at epoch 1/)

    await page.selectOption('[data-testid=chain-rule-param]', 'w1')
    await expect
      .poll(() => view.locator('[data-testid=chain-rule-expanded] .line').first().getAttribute('data-text'))
      .toBe(
        '∂E/∂w1 = ((out_o1 − t1) · out_o1 · (1 − out_o1) · w5 + (out_o2 − t2) · out_o2 · (1 − out_o2) · w7) · out_h1 · (1 − out_h1) · i1'
      )
    const w1Numbers = numbersIn((await view.locator('[data-testid=chain-rule-numbers]').getAttribute('data-text'))!)
    const w1Expected = [
      first.out_o1,
      first.t1,
      first.out_o1,
      1,
      first.out_o1,
      first.w5,
      first.out_o2,
      first.t2,
      first.out_o2,
      1,
      first.out_o2,
      first.w7,
      first.out_h1,
      1,
      first.out_h1,
      first.i1,
    ]
    expect(w1Numbers).toHaveLength(w1Expected.length)
    w1Numbers.forEach((n, i) => expect(relativeError(n, w1Expected[i]), `number ${i + 1}: ${n}`).toBeLessThan(1e-14))
    expect(relativeError(Number(await view.locator('[data-testid=chain-rule-result]').textContent()), first['𝟃E/𝟃w1'])).toBeLessThan(1e-13)
    await screenshot(page, 'chain-rule')
    expect(app.errors).toEqual([])
  })
})
