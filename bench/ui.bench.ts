/**
 * UI responsiveness benchmark (a measurement, not a test): the built web edition in Chromium trains
 * 1,000,000 epochs of the sheet's 2-2-2 network with every column recorded, while the table is
 * scrolled and the chart hovered. Prints the worst long task (PerformanceObserver 'longtask'),
 * frame times, and memory (JS heap of the page, and the RSS of Chromium's renderer processes,
 * which include the training workers). Targets: no long task > 50 ms, page < 500 MB.
 *
 *   npm run bench:ui            (EPOCHS=200000 npm run bench:ui for a shorter run;
 *                                RATES=0.1,0.2,0.5,0.8,1,2 for a comparison of six rates)
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { openApp, waitForStatus } from '../tests/e2e/harness'

const EPOCHS = Number(process.env.EPOCHS ?? 1_000_000)
/** RATES=0.1,0.2,0.5,0.8,1,2 trains a comparison (one worker per rate) instead of η = 0.5 alone. */
const RATES = process.env.RATES
const marker = `--bench-ui-run=${process.pid}-${Date.now()}`

// Runs in the page before the app: collects long tasks and animation-frame times.
const INSTRUMENT = `
window.__bench = { longTasks: [], frames: [], all: [], loaf: [], recording: false, last: 0, trainAt: 0, doneAt: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
// Long animation frames say what a slow frame spent its time on: scripts (and which), style and layout.
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    window.__bench.loaf.push({
      start: e.startTime,
      duration: e.duration,
      blocking: e.blockingDuration,
      render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
      layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
      scripts: e.scripts.map((s) => ({ what: (s.invoker || s.invokerType) + ' ' + (s.sourceFunctionName || '') + '@' + s.sourceURL.split('/').pop() + ':' + s.sourceCharPosition, ms: s.duration })),
    });
}).observe({ type: 'long-animation-frame', buffered: true });
const loop = (t) => {
  const b = window.__bench;
  if (b.recording && b.last) b.frames.push(t - b.last);
  // Every frame from the click on Train to the end of training, the first 0.3 s included.
  if (b.trainAt && !b.doneAt && b.last) b.all.push(t - b.last);
  b.last = t;
  requestAnimationFrame(loop);
};
requestAnimationFrame(loop);
`

interface Stats {
  count: number
  p50: number
  p95: number
  max: number
  over50: number
}

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b)
  const at = (q: number): number => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0)
  return { count: s.length, p50: at(0.5), p95: at(0.95), max: s.length ? s[s.length - 1] : 0, over50: s.filter((x) => x > 50).length }
}

const fmtStats = (s: Stats): string =>
  `${s.count} frames, median ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, worst ${s.max.toFixed(1)} ms, ${s.over50} over 50 ms`

async function frames<T>(page: Page, action: () => Promise<T>): Promise<Stats> {
  await page.evaluate('window.__bench.frames = []; window.__bench.last = 0; window.__bench.recording = true')
  await action()
  const values = (await page.evaluate('window.__bench.recording = false, window.__bench.frames')) as number[]
  return stats(values)
}

async function scrollTable(page: Page, ticks: number): Promise<void> {
  const box = await page.locator('[data-testid=epoch-table]').boundingBox()
  if (!box) throw new Error('no table')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  for (let i = 0; i < ticks; i++) {
    await page.mouse.wheel(0, i % 40 < 30 ? 120 : -200)
    await page.waitForTimeout(16)
  }
}

async function hoverChart(page: Page, steps: number): Promise<void> {
  const box = await page.locator('[data-testid=loss-chart]').boundingBox()
  if (!box) throw new Error('no chart')
  for (let i = 0; i < steps; i++) {
    const x = box.x + 10 + ((box.width - 20) * (i % 50)) / 49
    await page.mouse.move(x, box.y + box.height / 2)
    await page.waitForTimeout(16)
  }
}

/** The renderer processes found by the last rendererPids(), read again from /proc while they live. */
let renderers: number[] = []

/**
 * RSS (MB) of this run's page: the largest of its Chromium renderer processes (the page and its
 * workers share one; the others are spare and utility renderers). Sampled five times a second, so it
 * reads /proc/<pid>/statm rather than running ps each time (which took a share of this 2-core
 * machine's CPU from the page being measured).
 */
function rendererRssMb(): number {
  try {
    if (renderers.length) return Math.max(...renderers.map((pid) => Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096)) / 2 ** 20
  } catch {
    // one has exited: look again
  }
  renderers = rendererPids()
  return renderers.length ? rendererRssMb() : 0
}

function rendererPids(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
  const procs = out
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line)!
      return { pid: Number(m[1]), ppid: Number(m[2]), rss: Number(m[3]), args: m[4] }
    })
  const ours = new Set(procs.filter((p) => p.args.includes(marker)).map((p) => p.pid))
  let grew = true
  while (grew) {
    grew = false
    for (const p of procs)
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid)
        grew = true
      }
  }
  return procs.filter((p) => ours.has(p.pid) && p.args.includes('--type=renderer')).map((p) => p.pid)
}

async function memory(page: Page): Promise<{ heapMb: number; heapTotalMb: number; rendererMb: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0
  await cdp.detach()
  return { heapMb: get('JSHeapUsedSize') / 2 ** 20, heapTotalMb: get('JSHeapTotalSize') / 2 ** 20, rendererMb: rendererRssMb() }
}

async function main(): Promise<void> {
  const app = await openApp({ args: ['--enable-precise-memory-info', marker] })
  const { page } = app
  try {
    await app.context.addInitScript(INSTRUMENT)
    await page.reload()
    await page.waitForSelector('[data-testid=train]')
    const baseline = await memory(page)
    await page.fill('[data-testid=epochs]', String(EPOCHS))
    if (RATES) await page.fill('[data-testid=learning-rates]', RATES)
    console.log(`Training ${EPOCHS.toLocaleString('en')} epochs of 2-2-2${RATES ? ` at η = ${RATES}` : ''}, every column recorded…`)
    const started = Date.now()
    await page.evaluate('window.__bench.trainAt = performance.now()')
    await page.click('[data-testid=train]')
    // The renderer's RSS, sampled every 200 ms (the bursts below take seconds; a peak may fall between them).
    let sampledPeak = 0
    const sampler = setInterval(() => {
      try {
        sampledPeak = Math.max(sampledPeak, rendererRssMb())
      } catch {
        // ps failed once: the next sample will do
      }
    }, 200)

    const during: { scroll: Stats[]; hover: Stats[] } = { scroll: [], hover: [] }
    let peak = { heapMb: 0, heapTotalMb: 0, rendererMb: 0 }
    const isDone = async (): Promise<boolean> => (await page.getAttribute('.progress', 'data-status')) === 'done'
    while (!(await isDone())) {
      during.scroll.push(await frames(page, () => scrollTable(page, 60)))
      during.hover.push(await frames(page, () => hoverChart(page, 60)))
      const m = await memory(page)
      peak = {
        heapMb: Math.max(peak.heapMb, m.heapMb),
        heapTotalMb: Math.max(peak.heapTotalMb, m.heapTotalMb),
        rendererMb: Math.max(peak.rendererMb, m.rendererMb),
      }
    }
    await waitForStatus(page, 'done', 600_000)
    const whole = stats((await page.evaluate('window.__bench.doneAt = performance.now(), window.__bench.all')) as number[])
    const seconds = (Date.now() - started) / 1000
    clearInterval(sampler)
    const rows = Number(await page.getAttribute('[data-testid=epoch-table]', 'data-rows'))

    // After training: scroll the million-row table (jump to the end, then wheel) and hover the chart.
    const afterScroll = await frames(page, async () => {
      await page.fill('[data-testid=jump-input]', String(rows))
      await page.press('[data-testid=jump-input]', 'Enter')
      await scrollTable(page, 120)
    })
    const afterHover = await frames(page, () => hoverChart(page, 120))
    const end = await memory(page)
    peak = {
      heapMb: Math.max(peak.heapMb, end.heapMb),
      heapTotalMb: Math.max(peak.heapTotalMb, end.heapTotalMb),
      rendererMb: Math.max(peak.rendererMb, end.rendererMb),
    }
    const longTasks = (await page.evaluate('window.__bench.longTasks')) as { start: number; duration: number }[]
    const trainAt = (await page.evaluate('window.__bench.trainAt')) as number
    // Long tasks before Train is clicked belong to loading the page (buffered entries), not to training.
    const atLoad = longTasks.filter((t) => t.start + t.duration <= trainAt)
    const training = longTasks.filter((t) => t.start + t.duration > trainAt)
    const worst = training.reduce((m, t) => Math.max(m, t.duration), 0)
    const worstAtLoad = atLoad.reduce((m, t) => Math.max(m, t.duration), 0)
    const worstFive = [...training]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 5)
      .map((t) => `${t.duration.toFixed(0)} ms at ${((t.start - trainAt) / 1000).toFixed(2)} s`)
    const merge = (list: Stats[]): number[] => list.flatMap((s) => [s.max])

    console.log(`\nBackprop Lab UI benchmark (Chromium ${app.browser.version()}, ${EPOCHS.toLocaleString('en')} epochs, full recording)`)
    console.log(
      `  trained:                ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString('en')} epochs/s incl. UI)`
    )
    console.log(
      `  long tasks (> 50 ms):   ${training.length}, worst ${worst.toFixed(0)} ms   [target: none over 50 ms]   (from the click on Train to the end)`
    )
    console.log(
      `  long tasks at load:     ${atLoad.length}, worst ${worstAtLoad.toFixed(0)} ms   (loading the page, before Train: not part of the target)`
    )
    if (worstFive.length) console.log(`  worst long tasks:       ${worstFive.join(', ')} (time since Train was clicked)`)
    type Loaf = { start: number; duration: number; blocking: number; render: number; layout: number; scripts: { what: string; ms: number }[] }
    const loafs = ((await page.evaluate('window.__bench.loaf')) as Loaf[]).filter((f) => f.start + f.duration > trainAt && f.blocking > 0)
    for (const f of loafs.sort((x, y) => y.duration - x.duration).slice(0, 3)) {
      const scripts = f.scripts.filter((x) => x.ms >= 1).map((x) => `${x.what} ${x.ms.toFixed(0)}`)
      console.log(
        `  slow frame at ${((f.start - trainAt) / 1000).toFixed(2)} s: ${f.duration.toFixed(0)} ms (blocking ${f.blocking.toFixed(0)}); rendering ${f.render.toFixed(0)} ms of which style and layout ${f.layout.toFixed(0)}; scripts: ${scripts.join(', ') || 'none'}`
      )
    }
    console.log(`  frames, Train to end:   ${fmtStats(whole)}   (gaps between frames, the first 0.3 s included)`)
    console.log(
      `  table scroll, training: worst frame per burst ${merge(during.scroll)
        .map((x) => x.toFixed(0))
        .join(', ')} ms`
    )
    console.log(
      `  chart hover, training:  worst frame per burst ${merge(during.hover)
        .map((x) => x.toFixed(0))
        .join(', ')} ms`
    )
    if (during.scroll.length) console.log(`  table scroll, training (last burst): ${fmtStats(during.scroll[during.scroll.length - 1])}`)
    console.log(`  table scroll, 1M rows:  ${fmtStats(afterScroll)}`)
    console.log(`  chart hover, 1M points: ${fmtStats(afterHover)}`)
    console.log(
      `  memory, peak:           JS heap ${peak.heapMb.toFixed(0)} MB used / ${peak.heapTotalMb.toFixed(0)} MB total; page's renderer process RSS ${peak.rendererMb.toFixed(0)} MB (${baseline.rendererMb.toFixed(0)} MB before training)   [target: page < 500 MB]`
    )
    console.log(`  memory, at the end:     JS heap ${end.heapMb.toFixed(0)} MB; renderer RSS ${end.rendererMb.toFixed(0)} MB`)
    console.log(`  renderer RSS sampled every 200 ms while training: peak ${Math.max(sampledPeak, peak.rendererMb).toFixed(0)} MB`)
  } finally {
    await app.close()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
