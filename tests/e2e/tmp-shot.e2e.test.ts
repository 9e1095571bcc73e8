import { it } from 'vitest'
import { openApp } from './harness'
it('shot', async () => {
  process.env.E2E_SKIP_BUILD = '1'
  const app = await openApp({ width: 1024, height: 700 })
  const { page } = app
  await page.screenshot({ path: '/tmp/s1.png' })
  await page.click('label:has([data-testid=generator-spiral])')
  await page.locator('[data-testid=section-data]').scrollIntoViewIfNeeded()
  await page.screenshot({ path: '/tmp/s2.png' })
  await page.locator('[data-testid=section-training]').evaluate((e) => e.scrollIntoView())
  await page.selectOption('[data-testid=optimizer]', 'adam')
  await page.screenshot({ path: '/tmp/s3.png' })
  console.log(app.errors)
  await app.close()
}, 60000)
