import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { train } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { loadSheet, relativeError } from '../shared/reference'
import { openApp, screenshot, waitForStatus, type App } from './harness'

const sheet = loadSheet()

let app: App

beforeAll(async () => {
  // Wide enough for every weight to be written on its edge at 11 px or more (views.e2e.test.ts
  // covers the smaller windows, where the labels give way to the readout and the enlarged panel).
  app = await openApp({ width: 1440, height: 900 })
})
afterAll(async () => {
  await app?.close()
})

describe('the network diagram in Chromium', () => {
  it('draws the sheet’s network with its initial weights', async () => {
    const { page } = app
    const diagram = page.locator('[data-testid=network-diagram]')
    await expect.poll(() => diagram.locator('[data-testid^=edge-w]').count()).toBe(8)
    const initial = sheet.eta_0_5.rows[0]
    for (const [name, value] of ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'].map((n) => [n, initial[n]] as const))
      expect(Number(await diagram.locator(`[data-testid=edge-${name}]`).getAttribute('data-value'))).toBe(value)
    expect((await diagram.locator('[data-testid=weight-label-w5] text').textContent())!.replace(/\s+/g, ' ').trim()).toBe('w5 0.4')
    // Labels are not drawn on top of one another.
    const boxes = await diagram
      .locator('[data-testid^=weight-label-] rect')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))
    for (let a = 0; a < boxes.length; a++)
      for (let b = a + 1; b < boxes.length; b++) {
        const A = boxes[a]
        const B = boxes[b]
        const overlap = A.left < B.right && B.left < A.right && A.top < B.bottom && B.top < A.bottom
        expect(overlap, `labels ${a + 1} and ${b + 1}`).toBe(false)
      }
  })

  it('editing a weight on the diagram changes the run', async () => {
    const { page } = app
    await page.click('[data-testid=weight-label-w5]')
    await page.fill('[data-testid=weight-input-w5]', '0.9')
    await page.press('[data-testid=weight-input-w5]', 'Enter')
    await expect
      .poll(async () => (await page.textContent('[data-testid=weight-label-w5] text'))!.replace(/\s+/g, ' ').trim())
      .toBe('w5 0.9')

    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    const exp = defaultExperiment()
    exp.init = { weights: [0.15, 0.2, 0.25, 0.3, 0.9, 0.45, 0.5, 0.55] }
    const expected = train(runConfigs(exp)[0])
    const cell = (row: number, name: string): number => expected.table!.get(row, expected.layout.names.indexOf(name))
    expect(relativeError(cell(69, 'E_tot'), sheet.eta_0_5.rows[69].E_tot)).toBeGreaterThan(1e-3)

    // The chain-rule view at epoch 1 shows the edited run's numbers.
    await page.selectOption('[data-testid=precision]', '17')
    const result = Number(await page.getAttribute('[data-testid=chain-rule-result]', 'data-value'))
    expect(result).toBe(cell(0, '∂E/∂w5'))
    // The legend's final E_tot is the edited run's.
    const finalText = await page.locator('[data-testid=loss-legend-0] td').nth(3).textContent()
    expect(relativeError(Number(finalText), cell(69, 'E_tot'))).toBeLessThan(1e-12)

    // Epoch 1 on the diagram: the edited w5; clicking the edge selects it and shows its history.
    await page.fill('[data-testid=chain-rule-epoch]', '1')
    await page.press('[data-testid=chain-rule-epoch]', 'Enter')
    await expect.poll(() => page.getAttribute('[data-testid=edge-w5]', 'data-value')).toBe('0.9')
    // A horizontal line has no height, so click its middle by coordinates, as a user would.
    const box = (await page.locator('[data-testid=edge-w5] .stroke').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(() => page.locator('[data-testid=history-w5]').count()).toBe(1)
    // The sparklines are drawn once the panel knows its width: wait for them, as a user would.
    await expect.poll(() => page.locator('[data-testid=history-w5] polyline').count()).toBe(2)
    // Not idle: no editing on the diagram.
    expect(await page.locator('[data-testid=weight-input-w5]').count()).toBe(0)
    await screenshot(page, 'diagram')
    expect(app.errors).toEqual([])
  })
})
