import { afterAll, afterEach, describe, it } from 'vitest'
import type { DesktopApp } from './driver'
import { electronDriver } from './electron-driver'
import { scenarios } from './scenarios'
import { standInDriver } from './stand-in-driver'

/**
 * The desktop app end to end: the built main process, preload and renderer, in each driver.
 * Run by `npm run test:desktop` (scripts/test-desktop.ts), which builds first when the build is stale.
 */
// DESKTOP_DRIVERS=electron (the release workflow) runs only the real binary.
const chosen = (process.env.DESKTOP_DRIVERS ?? 'stand-in,electron').split(',').map((d) => d.trim().toLowerCase())
for (const driver of [standInDriver, electronDriver].filter((d) => chosen.includes(d.name.toLowerCase()))) {
  describe.skipIf(driver.skip !== null)(`the desktop app on ${driver.name}${driver.skip ? ` (skipped: ${driver.skip})` : ''}`, () => {
    const running: DesktopApp[] = []
    const track = (app: DesktopApp): DesktopApp => (running.push(app), app)
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.kill()))
    })
    afterAll(() => driver.dispose?.())
    for (const [name, scenario] of Object.entries(scenarios)) it(name, () => scenario(driver, track))
  })
}
