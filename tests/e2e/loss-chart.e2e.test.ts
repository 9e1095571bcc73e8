import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fill, openApp, waitForStatus, type App } from './harness'

let app: App

beforeAll(async () => {
  app = await openApp()
})
afterAll(async () => {
  await app?.close()
})

const attr = (name: string) => app.page.getAttribute('[data-testid=loss-chart]', name)

describe('the loss chart in Chromium', () => {
  it('a long two-rate run: every point kept, decimated on screen, zoom, threshold in the legend, PNG export', async () => {
    const { page } = app
    await fill(page, 'learning-rates', '0.5, 2')
    await fill(page, 'epochs', '200000')
    await fill(page, 'stop-below', '0.001')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done', 120_000)
    await expect.poll(() => attr('data-datasets')).toBe('2')
    // The legend: both runs reached the threshold, the faster rate first; neither diverged.
    const row = async (i: number) => (await page.locator(`[data-testid=loss-legend-${i}] td`).allTextContents()).map((t) => t.trim())
    // The chart and its legend sync on their next frame after the lines appear: polled, not read once.
    await expect.poll(async () => Number((await row(0))[2])).toBeGreaterThan(1000)
    const slow = await row(0)
    const fast = await row(1)
    expect(slow[1]).toBe('0.5')
    await expect.poll(async () => Number(await attr('data-points'))).toBe(Number(slow[2]))
    const points = Number(slow[2])
    expect(points).toBeGreaterThan(1000)
    const epochOf = (text: string) => Number(text.replace('epoch ', ''))
    expect(epochOf(slow[4])).toBe(points)
    expect(epochOf(fast[4])).toBeLessThan(epochOf(slow[4]))
    expect(Number(slow[3])).toBeLessThan(0.001)
    expect([slow[5], fast[5]]).toEqual(['no', 'no'])

    // Wheel zoom narrows the x range; double-click restores it.
    const canvas = page.locator('[data-testid=loss-chart]')
    const box = (await canvas.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -300)
    await expect.poll(() => attr('data-range')).not.toBe('')
    const [min, max] = (await attr('data-range'))!.split('-').map(Number)
    expect(max - min).toBeLessThan(points)
    await canvas.dblclick()
    await expect.poll(() => attr('data-range')).toBe('')

    // Drag-select zooms to the dragged epochs.
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 })
    await page.mouse.up()
    await expect.poll(() => attr('data-range')).not.toBe('')

    const download = page.waitForEvent('download')
    await page.click('[data-testid=loss-export-png]')
    const file = await (await download).path()
    const png = readFileSync(file)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(2000)
    expect(app.errors).toEqual([])
  })
})
