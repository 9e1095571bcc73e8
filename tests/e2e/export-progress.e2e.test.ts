import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fill, openApp, withoutFilePickers, type App } from './harness'

/**
 * The export bar in Chromium (web edition): a long export shows its progress and Cancel, and
 * Cancel ends it with nothing downloaded; the next export runs to the end and downloads.
 */
let app: App
beforeAll(async () => {
  app = await openApp()
  await withoutFilePickers(app)
})
afterAll(async () => {
  await app?.close()
})

describe('export progress and Cancel, in Chromium', () => {
  it('shows the bar, Cancel ends the export with no download, and a short export downloads', async () => {
    const { page } = app
    const downloads: string[] = []
    page.on('download', (d) => downloads.push(d.suggestedFilename()))
    await fill(page, 'epochs', '1000000')
    await page.click('[data-testid=export-xlsx]')
    const bar = page.locator('[data-testid=export-progress]')
    await bar.waitFor({ timeout: 60_000 })
    expect(await bar.textContent()).toMatch(/Exporting the workbook…\s*\d+%/)
    await page.click('[data-testid=export-cancel]')
    await bar.waitFor({ state: 'detached', timeout: 60_000 })
    expect(downloads).toEqual([])

    await fill(page, 'epochs', '70')
    const [csv] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.keyboard.press('Control+Shift+E')])
    expect(csv.suggestedFilename()).toMatch(/\.csv$/)
    expect(downloads).toHaveLength(1)
    expect(app.errors).toEqual([])
  })
})
