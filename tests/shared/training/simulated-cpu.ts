import { vi } from 'vitest'
import { Trainer } from '../../../src/shared/engine/trainer'

/**
 * A simulated machine that trains `epochsPerMs` epochs per millisecond: after every real
 * Trainer.step, `charge` is told how much simulated time its epochs took (and how many it ran),
 * so a test's injected or fake clock can move on by that much. The numbers stay the engine's.
 * vi.restoreAllMocks() ends it.
 */
export function simulateCpu(epochsPerMs: number, charge: (ms: number, epochs: number) => void): void {
  const realStep = Trainer.prototype.step
  vi.spyOn(Trainer.prototype, 'step').mockImplementation(function (this: Trainer, maxEpochs?: number) {
    const ran = realStep.call(this, maxEpochs)
    charge(ran / epochsPerMs, ran)
    return ran
  })
}
