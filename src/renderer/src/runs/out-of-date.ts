import { computed, type ComputedRef } from 'vue'
import type { RunConfig } from '@shared/engine/types'
import { useExperimentStore } from '../stores/experiment'
import { useTrainingStore } from '../stores/training'

/** What a run's numbers depend on: everything but how long it was asked to go on. */
const basis = (c: RunConfig): string =>
  JSON.stringify([c.network, c.loss, c.samples, c.test, c.weights, c.biases, c.learningRate, c.batchSize, c.shuffleSeed, c.optimizer, c.regularization, c.stopBelow])

/**
 * Whether the runs on screen no longer belong to the experiment as edited (network, samples,
 * weights, rates…): the views then say "out of date: train again" instead of passing them off as current.
 */
export function useOutOfDate(): ComputedRef<boolean> {
  const training = useTrainingStore()
  const experiment = useExperimentStore()
  return computed(() => {
    const runs = training.runs
    if (!runs.length) return false
    const now = experiment.configs
    return now.length !== runs.length || runs.some((r, i) => basis(r.config) !== basis(now[i]))
  })
}
