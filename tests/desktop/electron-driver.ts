import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { _electron, type ElectronApplication } from 'playwright-core'
import { root } from '../e2e/harness'
import type { DesktopApp, Driver, LaunchOptions, QuitReport } from './driver'

/**
 * The same scenarios on the real Electron binary, through Playwright's _electron. Dialogs are
 * answered by replacing dialog's methods in the main process with a queue of scripted answers.
 * ELECTRON_APP may name a packaged app's executable (the release workflow does); otherwise the
 * `electron` package's binary runs out/main/index.js.
 */
function electronBinary(): string | null {
  if (process.env.ELECTRON_APP) return existsSync(process.env.ELECTRON_APP) ? process.env.ELECTRON_APP : null
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}
const binary = electronBinary()

export const electronDriver: Driver = {
  name: 'Electron',
  skip: binary ? null : 'the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the release workflow runs these',
  launch,
}

async function launch(o: LaunchOptions): Promise<DesktopApp> {
  const packaged = !!process.env.ELECTRON_APP
  const app: ElectronApplication = await _electron.launch({
    executablePath: binary!,
    args: [...(packaged ? [] : [resolve(root, 'out/main/index.js')]), `--user-data-dir=${o.userData}`, ...(o.args ?? [])],
    cwd: o.cwd ?? root,
    env: { ...process.env, ELECTRON_RENDERER_URL: '' } as Record<string, string>,
  })
  let code: number | null = null
  const exited = new Promise<QuitReport>((r) => app.process().on('exit', (c) => r({ code: (code = c) })))
  // The scenarios read the app's files (recovery, window state) in the folder they chose.
  const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))
  if (resolve(userData) !== resolve(o.userData)) throw new Error(`--user-data-dir was not applied: userData is ${userData}`)
  await app.evaluate(({ dialog }) => {
    const g = globalThis as unknown as {
      answers: { type: string }[]
      dialogLog: { type: string; options: unknown }[]
      errorBoxes: unknown[]
    }
    g.answers = []
    g.dialogLog = []
    g.errorBoxes = []
    const next = (type: string, args: unknown[]) => {
      g.dialogLog.push({ type, options: args.length > 1 ? args[1] : args[0] })
      const a = g.answers.shift() as Record<string, unknown> | undefined
      if (!a || a.type !== type) throw new Error(`a ${type} dialog without a scripted answer`)
      return a
    }
    dialog.showOpenDialog = (async (...args: unknown[]) => {
      const a = next('open', args)
      return a.filePaths ? { canceled: false, filePaths: a.filePaths } : { canceled: true, filePaths: [] }
    }) as typeof dialog.showOpenDialog
    dialog.showSaveDialog = (async (...args: unknown[]) => {
      const a = next('save', args)
      return a.filePath ? { canceled: false, filePath: a.filePath } : { canceled: true, filePath: '' }
    }) as typeof dialog.showSaveDialog
    dialog.showMessageBox = (async (...args: unknown[]) => ({
      response: next('message', args).response,
      checkboxChecked: false,
    })) as typeof dialog.showMessageBox
    dialog.showErrorBox = (title: string, content: string) => void g.errorBoxes.push({ title, content })
  })

  const driverApp: DesktopApp = {
    async window() {
      const windows = app.windows().filter((p) => !p.isClosed())
      return windows[0] ?? (await app.firstWindow())
    },
    windows: () =>
      app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => ({ id: w.id, title: w.getTitle(), bounds: w.getBounds(), visible: w.isVisible() }))
      ),
    menu: (...labels) =>
      app.evaluate(({ Menu }, path) => {
        const clean = (s: string): string => s.replace(/&/g, '').replace(/…$/, '').trim()
        let items = Menu.getApplicationMenu()?.items ?? []
        let item
        for (const label of path) {
          item = items.find((i) => clean(i.label) === clean(label))
          if (!item) throw new Error(`no menu item ${path.join(' › ')}`)
          items = item.submenu?.items ?? []
        }
        item!.click()
      }, labels),
    answerDialog: (answer) => app.evaluate((_e, a) => void (globalThis as unknown as { answers: unknown[] }).answers.push(a), answer),
    log: () =>
      app.evaluate(() => {
        const g = globalThis as unknown as { dialogLog: never[]; errorBoxes: never[] }
        return { dialogs: g.dialogLog, errorBoxes: g.errorBoxes }
      }),
    evaluateMain: (fn, arg) => app.evaluate(fn as never, arg) as never,
    async crash() {
      const page = await driverApp.window()
      const cdp = await page.context().newCDPSession(page)
      void cdp.send('Page.crash').catch(() => undefined)
    },
    close: () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close()),
    exited: () => exited,
    async kill() {
      if (code === null) await app.close().catch(() => undefined)
    },
  }
  return driverApp
}
