import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { documentFromRuns, parseDocumentText, recoveryText } from '../../src/shared/document'
import { defaultExperiment } from '../../src/shared/experiment'
import { chooseCsv, fill, root, tableRows, tableValue, waitForStatus } from '../e2e/harness'
import { compareToEngine, readWorkbook } from '../node/export/compare'
import { loadSheet, relativeError } from '../shared/reference'
import type { DesktopApp, Driver } from './driver'

/** The thirteen scenarios of the desktop app, written once against the driver interface (driver.ts). */
export const shotDir = resolve(root, 'out/desktop-shots')
const sheet = loadSheet()
const LONG_RUN = 10_000_000

export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `bplab-${name}-`))
const fixture = (name: string, dir: string, as = name): string => {
  const path = join(dir, as)
  copyFileSync(resolve(root, 'tests/fixtures', name), path)
  return path
}
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shotDir, { recursive: true })
  await page.screenshot({ path: join(shotDir, `${name}.png`) })
}
async function until<T>(what: string, fn: () => Promise<T> | T, timeout = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeout
  for (;;) {
    const value = await fn()
    if (value) return value as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const ready = async (app: DesktopApp): Promise<Page> => {
  const page = await app.window()
  await page.waitForSelector('[data-testid=train]')
  return page
}
const title = async (app: DesktopApp): Promise<string> => (await app.windows())[0]?.title ?? ''
/** The app launched with close.bplab, its notes changed to `notes` and not saved. */
async function editedFile(app: DesktopApp, notes: string): Promise<{ app: DesktopApp; page: Page }> {
  const page = await ready(app)
  await until('the file open', async () => (await title(app)).includes('close.bplab'))
  await fill(page, 'notes', notes)
  await until('the unsaved mark', async () => (await title(app)).includes('unsaved'))
  return { app, page }
}
/** A run of LONG_RUN epochs per learning rate (within the app's memory budget), started from the menu and running. */
async function longRun(app: DesktopApp, rates: string): Promise<{ app: DesktopApp; page: Page }> {
  const page = await ready(app)
  await fill(page, 'learning-rates', rates)
  await fill(page, 'epochs', String(LONG_RUN))
  await app.menu('Run', 'Train')
  await waitForStatus(page, 'running')
  return { app, page }
}
/** The app on a fresh data folder, its page reloaded with its clock installed: timers run only when the test moves the clock on. */
async function withPageClock(driver: Driver, track: (app: DesktopApp) => DesktopApp, userData = tempDir('user')): Promise<{ app: DesktopApp; page: Page; userData: string }> {
  const app = track(await driver.launch({ userData }))
  const page = await ready(app)
  await page.clock.install()
  await page.reload()
  await page.waitForSelector('[data-testid=train]')
  return { app, page, userData }
}
/** Nothing went wrong that the driver could see: no preload error, no page error, no dialog without an answer. */
async function clean(app: DesktopApp): Promise<void> {
  const log = await app.log()
  expect(log.preloadErrors ?? []).toEqual([])
  expect(log.misuse ?? []).toEqual([])
  expect(log.errorBoxes ?? []).toEqual([])
  expect((log.consoleErrors ?? []).filter((e) => !/ERR_ABORTED|ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([])
}

export type Scenario = (driver: Driver, track: (app: DesktopApp) => DesktopApp) => Promise<void>

export const scenarios: Record<string, Scenario> = {
  async '1. launch: the sheet loads; Run › Train gives row 70 = E_tot 0.04485847127… at η = 0.5, in main’s workers'(driver, track) {
    const app = track(await driver.launch({ userData: tempDir('user') }))
    const page = await ready(app)
    // The page talks to main only through the preload's window.api (frozen, functions proxied).
    expect(await page.evaluate(() => typeof window.api?.experiment.open === 'function' && Object.isFrozen(window.api))).toBe(true)
    expect(await page.evaluate(() => 'require' in window || 'process' in window || 'ipcRenderer' in window)).toBe(false)
    await app.menu('Run', 'Train')
    await waitForStatus(page, 'done')
    expect(await tableRows(page)).toBe(70)
    const eTot = await tableValue(page, 70, 'E_tot')
    expect(String(eTot)).toMatch(/^0\.04485847127/)
    expect(relativeError(eTot, sheet.eta_0_5.rows[69].E_tot)).toBeLessThan(1e-12)
    const log = (await app.log()) as { workers?: { started: number } }
    if (log.workers) expect(log.workers.started).toBeGreaterThan(0)
    await shot(page, '01-launch-train')
    await clean(app)
  },

  async '2. a .bplab argument opens; a second instance with another file focuses the first window and opens it there'(driver, track) {
    const dir = tempDir('files')
    const first = fixture('v2-sheet.bplab', dir, 'first.bplab')
    const second = fixture('v2-seeded-tanh.bplab', dir, 'second.bplab')
    const userData = tempDir('user')
    const app = track(await driver.launch({ userData, args: [first] }))
    const page = await ready(app)
    await until('the first file in the title', async () => (await title(app)).includes('first.bplab'))
    // Relative to the second instance's working directory, as a shell would pass it.
    const other = track(await driver.launch({ userData, args: [basename(second)], cwd: dir }))
    const report = await other.exited()
    expect(report.code).toBe(0)
    await until('the second file in the first window', async () => (await title(app)).includes('second.bplab'))
    expect(await page.locator('[data-testid=notes]').inputValue()).toBe(JSON.parse(readFileSync(second, 'utf8')).notes)
    expect(await app.windows()).toHaveLength(1)
    await shot(page, '02-second-instance')
    await clean(app)
  },

  async '3. File › Open, edit, Save: valid file, same bits on reopen; Save As follows the new path'(driver, track) {
    const dir = tempDir('files')
    const path = fixture('v2-sheet.bplab', dir, 'experiment.bplab')
    const app = track(await driver.launch({ userData: tempDir('user') }))
    const page = await ready(app)
    await app.answerDialog({ type: 'open', filePaths: [path] })
    await app.menu('File', 'Open…')
    await until('the file open', async () => (await title(app)).includes('experiment.bplab'))
    await fill(page, 'notes', 'Edited in the desktop test.')
    await until('the unsaved mark', async () => (await title(app)).includes('unsaved'))
    await app.menu('File', 'Save')
    await until('the save', async () => !(await title(app)).includes('unsaved'))
    const saved = readFileSync(path)
    const parsed = parseDocumentText(saved.toString('utf8'))
    expect(parsed.ok && parsed.info.hash).toBe('ok')
    expect(parsed.ok && parsed.value.notes).toBe('Edited in the desktop test.')
    // Reopened (after File › New, so the reopening shows) and saved again untouched: the same document, bit for bit.
    await app.menu('File', 'New')
    await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-testid=notes]')?.value === '')
    await app.answerDialog({ type: 'open', filePaths: [path] })
    await app.menu('File', 'Open…')
    await page.waitForFunction(
      () => document.querySelector<HTMLTextAreaElement>('[data-testid=notes]')?.value === 'Edited in the desktop test.'
    )
    // Saved at once: opening retrains the file's results to check them, and a save during that
    // check keeps the file's results (not the part of each run retrained so far).
    const first = statSync(path).ino
    await app.menu('File', 'Save')
    // The atomic writer renames a new file into place: a new inode says the save happened.
    await until('the second save', () => statSync(path).ino !== first)
    // Every byte but the save's time and the hash over it.
    const timeless = (b: Buffer): string => b.toString('utf8').replace(/"(modified|hash)": "[^"]*"/g, '')
    expect(timeless(readFileSync(path))).toBe(timeless(saved))
    const again = parseDocumentText(readFileSync(path, 'utf8'))
    expect(again.ok && again.value.results.map((r) => [r.stopReason.kind, r.losses.length])).toEqual([['epochs', 70]])
    expect(timeless(saved)).not.toBe(timeless(readFileSync(resolve(root, 'tests/fixtures/v2-sheet.bplab'))))
    const copy = join(dir, 'copy.bplab')
    await app.answerDialog({ type: 'save', filePath: copy })
    await app.menu('File', 'Save As…')
    await until('the copy', () => existsSync(copy))
    await until('the title to follow', async () => (await title(app)).includes('copy.bplab'))
    expect(parseDocumentText(readFileSync(copy, 'utf8')).ok).toBe(true)
    await shot(page, '03-open-save')
    await clean(app)
  },

  async '4. File › Export to Excel and Export CSV: every xlsx cell equals the engine'(driver, track) {
    const dir = tempDir('files')
    const app = track(await driver.launch({ userData: tempDir('user') }))
    const page = await ready(app)
    await app.menu('Run', 'Train')
    await waitForStatus(page, 'done')
    const xlsx = join(dir, 'table.xlsx')
    await app.answerDialog({ type: 'save', filePath: xlsx })
    await app.menu('File', 'Export to Excel…')
    await until('the workbook', () => existsSync(xlsx) && !readdirPartial(dir))
    const csv = join(dir, 'table.csv')
    await app.answerDialog({ type: 'save', filePath: csv })
    await app.menu('File', 'Export CSV…')
    await until('the CSV', () => existsSync(csv) && readFileSync(csv, 'utf8').trim().split('\n').length === 71, 20_000)
    const text = readFileSync(resolve(root, 'tests/fixtures/v2-sheet.bplab'), 'utf8')
    const comparison = compareToEngine(await readWorkbook(xlsx), text, { live: true })
    expect(comparison.cells).toBeGreaterThan(70 * 30)
    expect(comparison.maxRelError, comparison.worst).toBeLessThan(1e-12)
    await shot(page, '04-export')
    await clean(app)
  },

  async '5. closing with unsaved changes: cancel keeps it, save saves, discard discards'(driver, track) {
    const dir = tempDir('files')
    const path = fixture('v2-sheet.bplab', dir, 'close.bplab')
    const userData = tempDir('user')
    const { app, page } = await editedFile(track(await driver.launch({ userData, args: [path] })), 'Kept by Save on close.')
    await app.answerDialog({ type: 'message', response: 2 })
    await app.close()
    await until('the prompt', async () => (await app.log()).dialogs?.some((d) => d.type === 'message'))
    await shot(page, '05-close-prompt')
    expect(await app.windows()).toHaveLength(1)
    await app.answerDialog({ type: 'message', response: 0 })
    await app.close()
    expect((await app.exited()).code).toBe(0)
    expect(JSON.parse(readFileSync(path, 'utf8')).notes).toBe('Kept by Save on close.')

    const { app: again } = await editedFile(track(await driver.launch({ userData, args: [path] })), 'Thrown away.')
    await again.answerDialog({ type: 'message', response: 1 })
    await again.close()
    expect((await again.exited()).code).toBe(0)
    expect(JSON.parse(readFileSync(path, 'utf8')).notes).toBe('Kept by Save on close.')
  },

  async '6. the renderer crashes with unsaved edits: recoverable after the reload, recovery file kept'(driver, track) {
    // Autosave runs every 30 s: the page's clock is moved on instead of waiting.
    const launched = await withPageClock(driver, track)
    const { app, userData } = launched
    let page = launched.page
    await fill(page, 'notes', 'Unsaved work before the crash.')
    await page.clock.fastForward(31_000)
    // Each window session writes its own copy, recovery-<id>.json.
    const recoveryFile = (): string | undefined =>
      readdirSync(userData)
        .filter((n) => /^recovery(-.*)?\.json$/.test(n))
        .map((n) => join(userData, n))
        .find((p) => readFileSync(p, 'utf8').includes('Unsaved work before the crash.'))
    const recovery = await until('the autosave', recoveryFile)
    const before = page
    await app.crash()
    page = await until(
      'the window to reload after the crash (main’s render-process-gone handler)',
      async () => {
        const p = await app.window().catch(() => null)
        return p && p !== before && !p.isClosed() ? p : null
      },
      30_000
    )
    await page.waitForSelector('[data-action=recover]', { timeout: 30_000 })
    await shot(page, '06-crash-recovery')
    expect(readFileSync(recovery, 'utf8')).toContain('Unsaved work before the crash.')
    await page.click('[data-action=recover]')
    await page.waitForFunction(
      () => document.querySelector<HTMLTextAreaElement>('[data-testid=notes]')?.value === 'Unsaved work before the crash.'
    )
    // The recovered work is the new session's unsaved work: its copy is written before the old
    // copy is removed, so at no moment is there no copy of it on disk.
    await until('the old copy removed', () => !existsSync(recovery))
    expect(recoveryFile()).toBeDefined()
  },

  async '7. window size and position survive a relaunch'(driver, track) {
    const userData = tempDir('user')
    const app = track(await driver.launch({ userData }))
    await ready(app)
    const bounds = { x: 120, y: 90, width: 1000, height: 700 }
    await app.evaluateMain(({ BrowserWindow }, b) => BrowserWindow.getAllWindows()[0].setBounds(b), bounds)
    await app.close()
    expect((await app.exited()).code).toBe(0)
    const again = track(await driver.launch({ userData }))
    const page = await ready(again)
    expect((await again.windows())[0].bounds).toEqual(bounds)
    expect(await page.evaluate(() => [innerWidth, innerHeight])).toEqual([1000, 700])
    await shot(page, '07-relaunch')
  },

  async '8. navigation, window.open and permissions are denied; IPC from a frame not the app’s is refused'(driver, track) {
    const app = track(await driver.launch({ userData: tempDir('user') }))
    const page = await ready(app)
    const url = page.url()
    await page.evaluate(() => (location.href = 'https://example.com/'))
    await page.waitForTimeout(300)
    expect(page.url()).toBe(url)
    const opened = await page.evaluate(() => !!window.open('https://example.com/popup'))
    await page.waitForTimeout(300)
    expect(await app.windows()).toHaveLength(1)
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied')
    const log = await app.log()
    if (log.preventedNavigations) {
      expect(log.preventedNavigations).toContain('https://example.com/')
      expect(log.windowOpens).toEqual([{ url: 'https://example.com/popup', action: 'deny' }])
      expect(log.permissionRequests).toEqual([expect.objectContaining({ permission: 'notifications', granted: false })])
      expect(log.blockedRequests?.filter((u) => !u.startsWith('https://example.com/'))).toEqual([])
    } else expect(opened).toBe(false)
    await shot(page, '08-denied')
    // The window made to show another page: its preload still exposes window.api, and main refuses it.
    await app.evaluateMain(
      ({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].loadURL('data:text/html,<title>not the app</title>'),
      undefined
    )
    const refused = await page.evaluate(() =>
      window.api!.experiment.recent().then(
        () => 'answered',
        (e: Error) => e.message
      )
    )
    expect(refused).toMatch(/^Error invoking remote method 'experiment:recent': Error: experiment:recent: refused/)
  },

  async '9. a six-rate comparison trains in parallel workers and Run › Stop answers while it runs'(driver, track) {
    const { app, page } = await longRun(track(await driver.launch({ userData: tempDir('user') })), '0.1, 0.2, 0.5, 0.8, 1, 2')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch-table]')?.getAttribute('data-rows')) > 1000)
    const log = (await app.log()) as { workers?: { started: number; running: number } }
    if (log.workers) expect(log.workers.running).toBeGreaterThan(1)
    await shot(page, '09-six-rates')
    // Run › Stop stops the workers in main at once, as the window's Stop button does, and tells the
    // page, which reads it only behind the batches it has yet to apply (on a loaded machine, many).
    await app.menu('Run', 'Stop')
    const delivered = async (): Promise<number | undefined> => (await app.log()).delivered?.messages
    if ((await delivered()) !== undefined) {
      // Main stops sending: two readings 500 ms apart agree.
      let last = -1
      await until('main to stop sending batches', async () => {
        const now = await delivered()
        const still = now === last
        last = now!
        await new Promise((r) => setTimeout(r, 500))
        return still
      })
    }
    await page.waitForSelector('.progress:not([data-status="running"])', { timeout: 60_000 })
    const rows = await tableRows(page)
    expect(rows).toBeLessThan(LONG_RUN)
    await page.waitForTimeout(300)
    expect(await tableRows(page)).toBe(rows)
  },

  async '10. Quit ends every worker thread, and nothing arrives after it'(driver, track) {
    const { app, page } = await longRun(track(await driver.launch({ userData: tempDir('user') })), '0.1, 0.5, 2')
    await shot(page, '10-before-quit')
    // Editing the epochs made the document dirty: the prompt's "Don’t Save" lets the quit go on.
    await app.answerDialog({ type: 'message', response: 1 })
    await app.menu('File', 'Quit')
    const report = await app.exited()
    expect(report.code).toBe(0)
    if (report.workers) {
      expect(report.workers.started).toBeGreaterThan(0)
      expect(report.workers.running).toBe(0)
      expect(report.workers.exited).toBe(report.workers.started)
      // Batches a thread had posted before it was terminated reach main (the pool drops them); none reach the window.
      expect(report.sendsAfterQuit).toEqual([])
    }
  },

  async '11. Quit from the menu with nothing unsaved leaves no recovery copy behind'(driver, track) {
    // The 2 s autosave runs only when the test moves the page's clock on.
    const { app, page, userData } = await withPageClock(driver, track)
    const copies = (): string[] => readdirSync(userData).filter((n) => /^recovery(-.*)?\.json$/.test(n))
    await fill(page, 'notes', 'An edit taken back before quitting.')
    await page.clock.fastForward(2_100)
    await until('the autosave', () => copies().length === 1)
    // Taken back: nothing is unsaved, but the copy is still on disk until the next autosave.
    await fill(page, 'notes', '')
    await until('the unsaved mark gone', async () => !(await title(app)).includes('unsaved'))
    expect(copies()).toHaveLength(1)
    // No window-all-closed on this path: main removes the copy before quitting.
    await app.menu('File', 'Quit')
    expect((await app.exited()).code).toBe(0)
    expect(copies()).toEqual([])
  },

  async '12. File › New from Preset opens a teaching preset over unsaved work, and Data › Import CSV… reads a file the user picks'(driver, track) {
    const app = track(await driver.launch({ userData: tempDir('user') }))
    const page = await ready(app)
    await fill(page, 'notes', 'Unsaved work.')
    await until('the unsaved mark', async () => (await title(app)).includes('unsaved'))
    await app.menu('File', 'New from Preset', 'Spiral needs depth: 4-8-8-1 with sin features')
    // The page's own question, as for New: Don’t save.
    await page.click('[data-answer=discard]')
    await until('the preset', async () => (await title(app)).includes('Spiral needs depth'))
    expect(await page.isChecked('[data-testid=generator-spiral]')).toBe(true)
    expect(await page.inputValue('[data-testid=layer-size-0]')).toBe('4')
    expect(await page.locator('[data-testid=notes]').inputValue()).toMatch(/^Two interleaved spirals/)
    await app.menu('Run', 'Train')
    await waitForStatus(page, 'done', 60_000)
    expect(await tableRows(page)).toBe(150)
    expect(await tableValue(page, 150, 'acc_test')).toBeGreaterThanOrEqual(0.9)

    const dir = tempDir('csv')
    const csv = join(dir, 'points.csv')
    writeFileSync(csv, 'x,y,label\n0.1,0.2,1\n0.3,0.4,0\n')
    await chooseCsv(page, csv)
    await page.click('[data-testid=csv-import-button]')
    expect(await page.textContent('[data-testid=csv-imported]')).toBe('Imported 2 samples from points.csv: 2 inputs, 1 target.')
    expect(await page.isChecked('[data-testid=generator-none]')).toBe(true)
    await shot(page, '12-preset-and-csv')
  },

  async '13. Don’t Save, then Quit from the menu: that work’s recovery copy goes, an older session’s stays'(driver, track) {
    const userData = tempDir('user')
    // A copy an earlier session left (a crash): offered on the banner until recovered or discarded.
    const old = recoveryText({ savedAt: new Date(0).toISOString(), path: null, name: null, file: null, document: documentFromRuns(defaultExperiment(), []) })
    writeFileSync(join(userData, 'recovery-old.json'), old)
    const { app, page } = await withPageClock(driver, track, userData)
    const copies = (): string[] => readdirSync(userData).filter((n) => /^recovery(-.*)?\.json$/.test(n))
    await fill(page, 'notes', 'Work the user throws away.')
    await page.clock.fastForward(2_100)
    await until('the autosave', () => copies().length === 2)
    // Quit asks about the unsaved work; "Don’t Save" throws it away, so the next launch must not offer it.
    await app.answerDialog({ type: 'message', response: 1 })
    await app.menu('File', 'Quit')
    expect((await app.exited()).code).toBe(0)
    expect(copies()).toEqual(['recovery-old.json'])
    expect(readFileSync(join(userData, 'recovery-old.json'), 'utf8')).toBe(old)
  },
}

/** An export still being written (its temporary file is renamed into place at the end). */
function readdirPartial(dir: string): boolean {
  return readdirSync(dir).some((n) => n.includes('partial') || n.endsWith('.tmp'))
}
