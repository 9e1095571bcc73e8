import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { optimizerText } from '../../src/shared/math/optimizers'
import { presetDocument } from '../../src/shared/presets'
import { chooseCsv, fill, openApp, slide, tableRows, waitForStatus, type App } from './harness'
import { axeViolations } from './measure'

/**
 * Issue 15's window in Chromium at 1024×700: the dataset picker (a generator, its sliders, a new
 * seed, features), the training controls (optimizer and its formula), a CSV import through the
 * real file chooser, and a teaching preset chosen over unsaved work; axe-core finds nothing with
 * the picker and the dialog shown.
 */
let app: App
const dir = mkdtempSync(join(tmpdir(), 'bplab-data-'))
beforeAll(async () => {
  app = await openApp({ width: 1024, height: 700 })
})
afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  await app.page.evaluate(() => localStorage.clear())
  await app.page.reload()
  await app.page.waitForSelector('[data-testid=train]')
})

const text = async (testid: string): Promise<string> => (await app.page.textContent(`[data-testid=${testid}]`))?.trim() ?? ''
const layerSize = (l: number): Promise<string> => app.page.inputValue(`[data-testid=layer-size-${l}]`)

/** Writes NAME with TEXT in the temp folder; its path. */
function csvFile(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('issue 15 in the window', () => {
  it('picks spiral from its picture, changes the sliders, regenerates, adds features and an optimizer, and trains', async () => {
    const { page } = app
    // Every thumbnail is the generator's real output: points drawn, in both colours for classes.
    for (const g of ['circle', 'xor', 'gauss', 'spiral', 'plane', 'multi-gauss'])
      expect(Number(await page.getAttribute(`[data-testid=generator-${g}] + svg`, 'data-points'))).toBeGreaterThan(50)
    // The tiles are one radio group: the arrow keys move through the generators.
    await page.focus('[data-testid=generator-circle]')
    await page.keyboard.press('ArrowRight')
    expect(await page.isChecked('[data-testid=generator-xor]')).toBe(true)
    expect(await text('data-counts')).toMatch(/^100 training, 100 test points/)
    await page.click('label:has([data-testid=generator-spiral])')
    expect(await page.isChecked('[data-testid=generator-spiral]')).toBe(true)
    // Playground's defaults: 200 points, half of them for testing.
    expect(await text('data-counts')).toMatch(/^100 training, 100 test points · seed \d+$/)
    expect(await layerSize(0)).toBe('2')
    await slide(app.page, 'data-count', 400)
    await slide(app.page, 'data-test-fraction', 0.25)
    expect(await text('data-counts')).toMatch(/^300 training, 100 test points/)
    await slide(app.page, 'data-noise', 20)
    expect((await page.textContent('label:has([data-testid=data-noise]) output'))?.trim()).toBe('20 %')
    const seed = await text('data-counts')
    await page.click('[data-testid=regenerate]')
    expect(await text('data-counts')).not.toBe(seed)
    expect(await page.locator('[data-testid=samples-size]').textContent()).toMatch(/^300 samples × 2 inputs, 1 target/)

    // sin(x1), sin(x2) beside x1, x2: the input layer becomes 4.
    await page.check('[data-testid="feature-sin(x1)"]')
    await page.check('[data-testid="feature-sin(x2)"]')
    expect(await layerSize(0)).toBe('4')
    expect(await page.isDisabled('[data-testid=layer-size-0]')).toBe(true)

    // Adam: its hyper-parameters appear, its formula is shown and in the tooltip.
    await page.selectOption('[data-testid=optimizer]', 'adam')
    expect(await page.locator('[data-testid=optimizer-formula] li.step').allTextContents()).toEqual(optimizerText('adam'))
    expect(await page.inputValue('[data-testid=optimizer-beta1]')).toBe('0.9')
    expect(await page.getAttribute('[data-testid=optimizer-beta2]', 'title')).toContain(
      optimizerText('adam').find((line) => line.startsWith('v ←'))!
    )
    await fill(page, 'optimizer-beta1', '1.5')
    expect(await page.textContent('[data-testid=blocked-reason]')).toMatch(/^Cannot train: .*β1|beta1/)
    await fill(page, 'optimizer-beta1', '0.9')
    await page.selectOption('[data-testid=regularization]', 'l2')
    await fill(page, 'regularization-rate', '0.001')
    await fill(page, 'batch-size', '10')
    await fill(page, 'epochs', '20')
    await fill(page, 'learning-rates', '0.01')
    expect(await page.locator('[data-testid=blocked-reason]').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done', 60_000)
    expect(await tableRows(page)).toBe(20)
    expect(app.errors).toEqual([])
  })

  it('imports a CSV file through the file chooser: preview, column roles, samples', async () => {
    const { page } = app
    await chooseCsv(page, csvFile('points.csv', 'id;a;b;c;label\np1;0,1;0,2;0,3;1\np2;0,4;0,5;0,6;0\np3;0,7;0,8;0,9;1\n'))
    expect(await page.locator('[data-testid=csv-preview] tbody tr').count()).toBe(3)
    expect(await text('csv-summary')).toBe('3 rows → 3 samples with 3 inputs and 1 target')
    await page.selectOption('[data-testid=csv-role-3]', 'skip')
    expect(await text('csv-summary')).toBe('3 rows → 3 samples with 2 inputs and 1 target')
    expect(await axeViolations(page)).toEqual([])
    await page.click('[data-testid=csv-import-button]')
    expect(await page.locator('[data-testid=csv-import]').count()).toBe(0)
    expect(await text('csv-imported')).toBe('Imported 3 samples from points.csv: 2 inputs, 1 target.')
    expect(await page.inputValue('[data-testid=sample-2-i2]')).toBe('0.8')
    expect(await layerSize(0)).toBe('2')
    expect(await page.isChecked('[data-testid=generator-none]')).toBe(true)

    // The explicit test list under the training samples: a held-out CSV imported into it, a row added by hand, undone.
    expect(await page.locator('[data-testid=test-grid] [role=row][aria-rowindex]').count()).toBe(0)
    await chooseCsv(page, csvFile('held-out.csv', 'a,b,label\n0.15,0.25,1\n0.45,0.55,0\n'))
    await page.selectOption('[data-testid=csv-into]', 'test')
    await page.click('[data-testid=csv-import-button]')
    expect(await text('csv-imported')).toBe('Imported 2 test samples from held-out.csv: 2 inputs, 1 target.')
    expect(await page.inputValue('[data-testid=test-sample-1-i1]')).toBe('0.45')
    expect(await page.inputValue('[data-testid=sample-2-i2]')).toBe('0.8') // the training samples stay
    await page.click('[data-testid=add-test]')
    await fill(page, 'test-sample-2-t1', '1')
    await page.click('.brand') // leaving the field ends the edit
    expect(await text('test-size')).toBe('3 test samples × 2 inputs, 1 target')
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+z')
    expect(await text('test-size')).toBe('2 test samples × 2 inputs, 1 target')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    // Measured on the test samples each epoch: the table has E_test and acc_test (no such columns without test samples).
    await page.focus('[data-testid=column-jump]')
    const columns = await page
      .locator('[data-testid=column-jump] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(columns).toEqual(expect.arrayContaining(['E_tot', 'E_test', 'acc_train', 'acc_test']))
    expect(app.errors).toEqual([])
  })

  it('chooses a teaching preset over unsaved work: asked first, then the preset with its lesson', async () => {
    const { page } = app
    await fill(page, 'epochs', '5')
    await page.selectOption('[data-testid=preset]', 'xor-tanh')
    await page.waitForSelector('[role=dialog]')
    await page.click('[data-answer=cancel]')
    expect(await page.inputValue('[data-testid=epochs]')).toBe('5')
    await page.selectOption('[data-testid=preset]', 'xor-tanh')
    await page.click('[data-answer=discard]')
    await page.waitForFunction(() => (document.querySelector('[data-testid=layer-size-2]') as HTMLInputElement | null)?.value === '1')
    expect(await page.inputValue('[aria-label="Experiment name"]')).toBe('XOR with 2-2-1 tanh')
    expect(await page.inputValue('[data-testid=notes]')).toBe(presetDocument('xor-tanh').notes)
    expect(await text('document-title')).toBe('XOR with 2-2-1 tanh')
    await page.click('[data-testid=train]')
    await waitForStatus(page, 'done')
    expect(app.errors).toEqual([])
  })
})
