import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { menuCommands } from '../../../src/main/menu-template'
import { createTrainingRunner } from '../../../src/main/training/runner'
import type { MenuCommand } from '../../../src/shared/ipc'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import type { TrainingPool } from '../../../src/shared/training/pool'
import type { TrainingEvent } from '../../../src/shared/training/protocol'

/**
 * Run › Stop from the menu, wired as index.ts wires it, on real worker threads (through tsx, see
 * tsx-worker.cjs): main stops the runs itself, without waiting for the page, and still tells the page.
 */
const bootstrap = resolve(__dirname, 'tsx-worker.cjs')
const entry = resolve(__dirname, '../../../src/main/training/worker.ts')

let pool: TrainingPool | null = null
afterEach(() => pool?.dispose())

function setup() {
  pool = createTrainingRunner(bootstrap, 2, { workerData: { entry } })
  const runner = pool
  const sent: MenuCommand[] = []
  const events: TrainingEvent[] = []
  runner.onEvent((e) => events.push(e))
  const command = menuCommands({ send: (c) => sent.push(c), stopTraining: () => runner.stopCurrent() })
  return { runner, sent, events, command }
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('Run › Stop from the menu', () => {
  it('stops the running job in main (every run ends "stopped", a queued one too) and tells the page', async () => {
    const { runner, sent, events, command } = setup()
    const exp = defaultExperiment()
    exp.training.learningRates = [0.1, 0.5, 2]
    exp.training.epochs = 10_000_000
    // Three runs on two workers: one waits in the queue.
    runner.start(7, runConfigs(exp), { record: false })
    await until(() => events.some((e) => e.type === 'batch'))
    command('stop')
    expect(sent).toEqual(['stop'])
    await until(() => events.filter((e) => e.type === 'done').length === 3)
    const ends = events.filter((e) => e.type === 'done')
    expect(ends.map((e) => e.type === 'done' && e.stopReason.kind)).toEqual(['stopped', 'stopped', 'stopped'])
    expect(ends.every((e) => e.type === 'done' && e.stopReason.epochs < 10_000_000)).toBe(true)
  })

  it('other commands only go to the page; Stop with nothing running is harmless', () => {
    const { sent, events, command } = setup()
    for (const c of ['train', 'pause-resume', 'save', 'stop'] as MenuCommand[]) command(c)
    expect(sent).toEqual(['train', 'pause-resume', 'save', 'stop'])
    expect(events).toEqual([])
  })
})
