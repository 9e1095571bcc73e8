import { standInDriver } from '/work/wt-i13/tests/desktop/stand-in-driver'
import { mkdtempSync } from 'node:fs'
const app = await standInDriver.launch({ userData: mkdtempSync('/tmp/i13-u-') })
const page = await app.window()
await page.waitForSelector('[data-testid=train]')
page.on('close', () => console.log('test page closed'))
const opened = await page.evaluate(() => !!window.open('https://example.com/popup'))
console.log('opened', opened)
await new Promise((r) => setTimeout(r, 1000))
console.log(page.isClosed(), JSON.stringify(await app.windows()), JSON.stringify((await app.log()).windowOpens))
await app.kill()
