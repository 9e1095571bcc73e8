import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, screenshot, slide, waitForStatus, type App } from './harness'

/**
 * The decision boundary in Chromium: the spiral picked from its tile in the dataset picker, with sin features
 * and an 8-8-1 tanh net, trained at a watchable pace and then at full speed; the heatmap's pixels change while it learns, every
 * hidden neuron has its own map, and the pictures go to the README (npm run screenshots).
 */

/** The boundary canvas's pixels, kept in the page under `name`; returns how many redraws it had. */
async function keepPixels(page: Page, name: string): Promise<number> {
  return page.evaluate((key) => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=boundary-canvas]')!
    const kept = ((window as unknown as { kept?: Record<string, Uint8ClampedArray> }).kept ??= {})
    kept[key] = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.slice()
    return Number(c.dataset.redraws)
  }, name)
}

/** How many bytes of two kept pictures differ. */
function differing(page: Page, a: string, b: string): Promise<number> {
  return page.evaluate(
    ([x, y]) => {
      const kept = (window as unknown as { kept: Record<string, Uint8ClampedArray> }).kept
      let n = 0
      for (let i = 0; i < kept[x].length; i++) if (kept[x][i] !== kept[y][i]) n++
      return n
    },
    [a, b]
  )
}

const redraws = async (page: Page): Promise<number> => Number(await page.getAttribute('[data-testid=boundary-canvas]', 'data-redraws'))

let app: App
beforeAll(async () => {
  app = await openApp({ width: 1280, height: 800 })
})
afterAll(async () => {
  await app?.close()
})

describe('the decision boundary in Chromium', () => {
  it('picks the spiral in the dataset picker: the boundary with its points, and a map in each of the 16 hidden neurons', async () => {
    const { page } = app
    // A 2-8-8-1 tanh net with Adam (the overfitting preset, XOR data), then the spiral from its tile,
    // no noise, a test fifth, and the sin features the spiral needs: 4-8-8-1.
    await page.selectOption('[data-testid=preset]', 'overfitting')
    await expect.poll(() => page.isChecked('[data-testid=generator-xor]')).toBe(true)
    await page.click('label:has([data-testid=generator-spiral])')
    expect(await page.isChecked('[data-testid=generator-spiral]')).toBe(true)
    await slide(page, 'data-noise', 0)
    await slide(page, 'data-test-fraction', 0.2)
    await page.check('[data-testid="feature-sin(x1)"]')
    await page.check('[data-testid="feature-sin(x2)"]')
    expect(await page.inputValue('[data-testid=layer-size-0]')).toBe('4')
    expect((await page.textContent('[data-testid=data-counts]'))?.trim()).toMatch(/^160 training, 40 test points/)
    await page.waitForSelector('[data-testid=boundary-canvas]')
    await expect.poll(() => redraws(page)).toBeGreaterThan(0)
    expect(await page.textContent('[data-testid=boundary-caption]')).toBe('initial weights')
    await expect.poll(() => page.locator('[data-testid=neuron-map]').count()).toBe(16)
    const label = await page.getAttribute('[data-testid=boundary-canvas]', 'aria-label')
    expect(label).toMatch(/160 training points filled, 40 test points hollow/)
  })

  it('the heatmap changes as the network learns, epoch by epoch at a watchable pace, and at full speed', async () => {
    const { page } = app
    await page.selectOption('[data-testid=speed]', '10')
    await page.click('[data-testid=train]')
    await expect.poll(() => page.textContent('[data-testid=boundary-caption]')).toMatch(/^after epoch \d+$/)
    const first = await keepPixels(page, 'early')
    // A later epoch's picture: the map is redrawn from the batches while the run goes on.
    await expect.poll(() => redraws(page), { timeout: 20_000 }).toBeGreaterThan(first + 2)
    await keepPixels(page, 'later')
    expect(await differing(page, 'early', 'later')).toBeGreaterThan(0)
    expect(await page.getAttribute('.progress', 'data-status')).toBe('running')

    await page.selectOption('[data-testid=speed]', '0')
    await waitForStatus(page, 'done', 200_000)
    await expect.poll(() => page.textContent('[data-testid=boundary-caption]')).toBe('after epoch 600')
    await keepPixels(page, 'trained')
    // Trained, most of the map has moved on from its early picture.
    const bytes = await page.evaluate(() => (window as unknown as { kept: Record<string, Uint8ClampedArray> }).kept.trained.length)
    expect(await differing(page, 'early', 'trained')).toBeGreaterThan(bytes / 10)
    // The chart carries the test loss and the accuracies (right axis) of the run.
    expect(await page.locator('[data-testid=loss-chart-key] span').allTextContents()).toEqual([
      '—— E_tot',
      '– – E_test',
      '··· acc_train (right axis)',
      '–·– acc_test (right axis)',
    ])
    await screenshot(page, 'boundary', '.work') // the work area only (the views)
  }, 240_000)

  it('is readable at 1024×700, the smallest laptop screen', async () => {
    const { page } = app
    await page.setViewportSize({ width: 1024, height: 700 })
    const canvas = page.locator('[data-testid=boundary-canvas]')
    // A square, resized with its panel (a ResizeObserver's answer comes a frame later).
    await expect.poll(async () => (await canvas.boundingBox())!.width).toBeLessThan(260)
    const box = (await canvas.boundingBox())!
    expect(box.width).toBeGreaterThanOrEqual(150)
    expect(Math.abs(box.width - box.height)).toBeLessThanOrEqual(1)
    await page.click('[data-testid=enlarge-diagram]')
    await page.waitForTimeout(300)
    await screenshot(page, 'boundary-neurons')
    await page.keyboard.press('Escape')
    await screenshot(page, 'boundary-1024x700', '.work')
  })

  it('selecting an epoch in the table shows the boundary of that epoch', async () => {
    const { page } = app
    await page.fill('[data-testid=chain-rule-epoch]', '1')
    await page.press('[data-testid=chain-rule-epoch]', 'Enter')
    await expect.poll(() => page.textContent('[data-testid=boundary-caption]')).toBe('epoch 1')
    await keepPixels(page, 'epoch1')
    expect(await differing(page, 'epoch1', 'trained')).toBeGreaterThan(0)
    expect(app.errors).toEqual([])
  })
})
