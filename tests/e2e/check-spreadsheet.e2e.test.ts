import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, tableValue, waitForStatus, type App } from './harness'
import { workbookBytes } from '../shared/check/student-sheet'

/** File › Check a Spreadsheet… in the web edition: the report, then "Open it" at the wrong epoch. */
let app: App

beforeAll(async () => {
  app = await openApp()
  // The file input path (as in Firefox): Playwright answers it with the workbook's bytes.
  await app.context.addInitScript('delete window.showOpenFilePicker')
  await app.page.reload()
  await app.page.waitForSelector('[data-testid=check-spreadsheet]')
})
afterAll(async () => {
  await app?.close()
})

async function checkFile(name: string, bytes: Uint8Array): Promise<void> {
  const { page } = app
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=check-spreadsheet]')])
  await chooser.setFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(bytes) })
  await page.waitForSelector('[data-testid=check-report] [role=status]:not(:has-text("Checking")), [data-testid=check-report] [role=alert]', { timeout: 60_000 })
}

describe('checking a student’s spreadsheet in Chromium', () => {
  it('shows the first wrong cell and the likely mistake, and opens the rebuilt experiment at that epoch', async () => {
    const { page } = app
    // A student's sheet with other inputs and η = 2, right until epoch 3, where ∂E/∂w1 takes w6 for w7.
    const bytes = await workbookBytes({
      eta: 2,
      epochs: 12,
      inputs: [1, 5],
      slip: (name, r, epoch) => {
        if (name !== '∂E/∂w1' || epoch < 3) return undefined
        const d1 = (r.out_o1 - r.t1) * r.out_o1 * (1 - r.out_o1)
        const d2 = (r.out_o2 - r.t2) * r.out_o2 * (1 - r.out_o2)
        return (d1 * r.w5 + d2 * r.w6) * r.out_h1 * (1 - r.out_h1) * r.i1
      },
    })
    await checkFile('student.xlsx', bytes)
    expect(await page.textContent('[data-testid=mismatch-cell]')).toBe('X33 (∂E/∂w1, epoch 3)')
    expect(await page.textContent('[data-testid=likely-mistake]')).toContain('w6 where w7 belongs')

    await page.click('[data-testid=open-rebuilt-0]')
    await waitForStatus(page, 'done')
    expect(await page.isVisible('[data-testid=check-report]')).toBe(false)
    // The chain-rule view is at the epoch where the sheet went wrong, of the student's own experiment.
    expect(await page.inputValue('[data-testid=chain-rule-epoch]')).toBe('3')
    expect(await page.inputValue('[data-testid=learning-rates]')).toBe('2')
    expect(await tableValue(page, 1, 'i2')).toBe(5)

    // Walk through that epoch: the first step is h1 with its numbers; "how is ∂E/∂w1 computed?"
    // goes to that step, and the chain-rule view follows to w1.
    await page.click('[data-testid=walkthrough-open]')
    expect(await page.textContent('[data-testid=walk-numbers]')).toMatch(/^h1 = 0\.15·1 \+ 0\.2·5 = /)
    await page.click('[data-testid=walk-next]')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('out_h1')
    const ask = await page.$eval('[data-testid=walk-ask]', (el) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes('∂E/∂w1'))!.value)
    await page.selectOption('[data-testid=walk-ask]', ask)
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('∂E/∂w1')
    expect(await page.inputValue('[data-testid=chain-rule-param]')).toBe('w1')
    await page.focus('[data-testid=walkthrough]')
    await page.keyboard.press('ArrowRight')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('∂E/∂w2')
    expect(app.errors).toEqual([])
  })

  it('a file that is not a workbook gets one clear line', async () => {
    const { page } = app
    await checkFile('notes.xlsx', new TextEncoder().encode('just text'))
    expect(await page.textContent('[data-testid=check-report] [role=alert]')).toBe('not an xlsx workbook (not a zip archive)')
    await page.click('[data-testid=check-close]')
    expect(await page.isVisible('[data-testid=check-report]')).toBe(false)
    expect(app.errors).toEqual([])
  })
})
