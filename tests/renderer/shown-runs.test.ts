// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { useShownRuns } from '../../src/renderer/src/composables/shown-runs'
import { useTrainingStore } from '../../src/renderer/src/stores/training'
import { sheetRuns } from './engine-runs'

const INTERVAL_MS = 60
/** Fake timers and clock: the view's timers run when the test moves the clock, to the millisecond. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})
/** Lets `ms` of simulated time pass, running the timers due (0: the tasks already queued). */
const task = async (ms = 0): Promise<void> => void (await vi.advanceTimersByTimeAsync(ms))

function setup(interval: number | (() => number) = INTERVAL_MS) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const training = useTrainingStore()
  let shown!: ReturnType<typeof useShownRuns>
  const View = defineComponent({
    setup() {
      shown = useShownRuns(interval)
      return () => h('p', `${shown.runs.value.length} runs, version ${shown.version.value}`)
    },
  })
  const wrapper = mount(View, { global: { plugins: [pinia] } })
  return { training, shown, wrapper }
}

describe('useShownRuns', () => {
  it('a new job reaches the view one task after the store, not in the same one', async () => {
    const { training, shown, wrapper } = setup()
    const job = sheetRuns([0.5, 2])
    training.runs = job
    training.status = 'running'
    await nextTick()
    expect(shown.runs.value).toEqual([])
    await task()
    expect(shown.runs.value).toBe(job)
    await nextTick()
    expect(wrapper.text()).toBe(`2 runs, version ${training.version}`)
  })

  it('an interval asked each time: 0 (a watchable pace) shows each running update at once, then the interval again', async () => {
    let ms = 0
    const { training, shown } = setup(() => ms)
    training.runs = sheetRuns()
    training.status = 'running'
    await nextTick()
    await task()
    training.version++
    await nextTick()
    expect(shown.version.value).toBe(training.version)
    ms = INTERVAL_MS
    await task(10)
    training.version++
    await nextTick()
    expect(shown.version.value).toBe(training.version - 1)
    await task(INTERVAL_MS)
    expect(shown.version.value).toBe(training.version)
  })

  it(`while running, new numbers at most every ${INTERVAL_MS} ms; at rest at once`, async () => {
    const { training, shown } = setup()
    training.runs = sheetRuns()
    training.status = 'running'
    await nextTick()
    await task()
    expect(shown.version.value).toBe(training.version)
    // New numbers right after: held back until INTERVAL_MS after the last showing, not a moment longer.
    await task(10)
    training.version++
    await nextTick()
    await task(INTERVAL_MS - 10 - 1)
    expect(shown.version.value).toBe(training.version - 1)
    await task(1)
    expect(shown.version.value).toBe(training.version)
    // Long after the last showing: at once (one task).
    await task(5 * INTERVAL_MS)
    training.version++
    await nextTick()
    await task()
    expect(shown.version.value).toBe(training.version)
    // Paused (or stepped, stopped, done): at once.
    training.version++
    training.status = 'paused'
    await nextTick()
    expect(shown.version.value).toBe(training.version)
  })

  it('a new job is not held back by a running job’s pending redraw, and a reset shows at once', async () => {
    const { training, shown } = setup()
    training.runs = sheetRuns()
    training.status = 'running'
    await nextTick()
    await task()
    training.version++ // a redraw is now pending for up to INTERVAL_MS
    await nextTick()
    const next = sheetRuns([2])
    training.runs = next
    await nextTick()
    await task()
    expect(shown.runs.value).toBe(next)
    training.runs = []
    training.status = 'idle'
    await nextTick()
    expect(shown.runs.value).toEqual([])
  })
})
