import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, tableValue, waitForStatus, type App } from './harness'
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

    // Walk through that epoch. The first step is h1 with the student's inputs: the diagram lights
    // h1 and its incoming edges, nothing after it is computed yet, the table outlines epoch 3's h1
    // and the formula is typeset with the epoch's numbers.
    await page.click('[data-testid=walkthrough-open]')
    expect(await page.textContent('[data-testid=walkthrough] header strong')).toBe('Epoch 3, η = 2')
    const diagram = page.locator('[data-testid=network-diagram]')
    const walkOf = (testid: string): Promise<string | null> => diagram.locator(`[data-testid="${testid}"]`).getAttribute('data-walk')
    const mark = (neuron: string, circle: 'net' | 'out'): Promise<string | null> =>
      diagram.locator(`[data-testid=neuron-${neuron}] .${circle}-circle`).getAttribute('data-mark')
    const walkCell = page.locator('[data-testid=epoch-table] .td.walk')
    const numbers = page.locator('[data-testid=walk-numbers]')
    const h1 = /^h1 = ([\d.]+)·1 \+ ([\d.]+)·5 = [\d.]+$/.exec((await numbers.getAttribute('data-text'))!)!
    expect(h1).not.toBeNull()
    expect(await page.locator('[data-testid=walk-formula] math').count()).toBeGreaterThan(0)
    const typeset = (await numbers.locator('mn').allTextContents()).map(Number)
    expect([typeset[1], typeset[3]]).toEqual([1, 5])
    expect(Math.abs(typeset[0] - Number(h1[1]))).toBeLessThan(1e-7)
    expect([await walkOf('neuron-h1'), await walkOf('input-i1'), await walkOf('input-i2')]).toEqual(['active', 'active', 'active'])
    expect([await walkOf('edge-w1'), await walkOf('edge-w2'), await walkOf('edge-w3'), await walkOf('edge-w5')]).toEqual(['active', 'active', '', ''])
    expect([await mark('h1', 'net'), await mark('h1', 'out'), await mark('o1', 'net')]).toEqual(['active', 'pending', 'pending'])
    // The diagram's numbers arrive a task after the store's (shown-runs): until then a title names the values only.
    await expect.poll(() => diagram.locator('[data-testid=neuron-o1] > title').textContent()).toBe('o1: not computed yet\nout_o1: not computed yet')
    await expect.poll(() => diagram.locator('[data-testid=neuron-h1] > title').textContent()).toMatch(/^h1 = 0\.\d+\nout_h1: not computed yet$/)
    await expect.poll(() => walkCell.getAttribute('data-col')).toBe('h1')
    expect(await walkCell.evaluate((el) => el.closest('.tr')!.getAttribute('data-epoch'))).toBe('3')
    expect(await walkCell.isVisible()).toBe(true)

    await page.click('[data-testid=walk-next]')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('out_h1')
    expect([await mark('h1', 'net'), await mark('h1', 'out')]).toEqual(['done', 'active'])
    await expect.poll(() => walkCell.getAttribute('data-col')).toBe('out_h1')

    // "How is ∂E/∂w1 computed?" goes to that step: its edge lit, the path its δ rests on (w5, w7 to
    // o1, o2) dashed, δ of h1 written under it; the chain-rule view follows to w1; the table
    // scrolls to epoch 3's ∂E/∂w1.
    const ask = await page.$eval('[data-testid=walk-ask]', (el) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes('∂E/∂w1'))!.value)
    await page.selectOption('[data-testid=walk-ask]', ask)
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('∂E/∂w1')
    expect(await page.inputValue('[data-testid=chain-rule-param]')).toBe('w1')
    expect([await walkOf('edge-w1'), await walkOf('edge-w5'), await walkOf('edge-w7'), await walkOf('edge-w2')]).toEqual(['active', 'path', 'path', ''])
    expect([await walkOf('neuron-h1'), await walkOf('neuron-o1'), await walkOf('neuron-o2')]).toEqual(['active', 'path', 'path'])
    // At this window size the diagram's numbers are too small to draw; enlarged, the computed values
    // are written in (δ of h1, o1, o2 among them), the pending ones are not.
    expect(await diagram.locator('[data-testid=delta-h1]').count()).toBe(0)
    expect(await page.textContent('[data-testid=diagram-readout]')).toBe(await numbers.getAttribute('data-text'))
    await page.click('[data-testid=enlarge-diagram]')
    await expect.poll(() => diagram.locator('[data-testid^=delta-]').count()).toBe(3)
    expect(await diagram.locator('[data-testid=delta-h1]').textContent()).toMatch(/^\s*δ -?\d/)
    expect(await diagram.locator('[data-testid=neuron-o2] .num').allTextContents()).toHaveLength(2)
    await page.focus('body')
    await page.keyboard.press('Escape')
    await expect.poll(() => diagram.locator('[data-testid^=delta-]').count()).toBe(0)
    await screenshot(page, 'walkthrough')
    await expect.poll(() => walkCell.getAttribute('data-col')).toBe('∂E/∂w1')
    expect(await walkCell.isVisible()).toBe(true)
    // The typeset formula: ∂E/∂w1 as a fraction, then δ_h1 · i1 with the numbers, ending in the table's value.
    expect(await page.locator('[data-testid=walk-formula] mfrac').count()).toBe(1)
    const gradient = await numbers.getAttribute('data-text')
    expect(gradient).toMatch(/^∂E\/∂w1 = \(?-?[\d.e-]+\)? · 1 = /)

    await page.focus('[data-testid=walkthrough]')
    await page.keyboard.press('ArrowRight')
    expect(await page.getAttribute('[data-testid=walk-current]', 'data-column')).toBe('∂E/∂w2')
    // The last step updates w8: that edge, and the cell it gives, the next epoch's w8.
    await page.keyboard.press('End')
    expect(await numbers.getAttribute('data-text')).toMatch(/^w8 ← [\d.]+ − 2·/)
    expect(await walkOf('edge-w8')).toBe('active')
    expect(await page.inputValue('[data-testid=chain-rule-param]')).toBe('w8')
    expect(await walkOf('edge-w1')).toBe('updated')
    await expect.poll(() => walkCell.getAttribute('data-col')).toBe('w8')
    expect(await walkCell.evaluate((el) => el.closest('.tr')!.getAttribute('data-epoch'))).toBe('4')
    // The weights in the walk are epoch 3's (not the initial 0.15, 0.2), every digit of the table's.
    expect(await tableValue(page, 3, 'w1')).toBe(Number(h1[1]))
    expect(await tableValue(page, 3, 'w2')).toBe(Number(h1[2]))
    expect(Number(h1[1])).not.toBe(0.15)
    expect(await tableValue(page, 3, '∂E/∂w1')).toBe(Number(gradient!.split(' = ').at(-1)))
    expect(await tableValue(page, 1, 'i2')).toBe(5)
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
