import { estimateCost, jobShape, recordPlan } from '../cost'
import { jobProblem, rateProblem } from '../engine/validate'
import type { RunConfig } from '../engine/types'

/** What the runs of one job share: everything but the learning rate. */
export type JobConfig = Omit<RunConfig, 'learningRate'>

/** A job as it crosses IPC: the shared configuration once, and one learning rate per run. */
export interface Job {
  config: JobConfig
  learningRates: number[]
}

/** Splits runs of one job (runConfigs of an experiment: they differ only in the learning rate). */
export function jobOf(configs: readonly RunConfig[]): Job {
  const { learningRate: _first, ...config } = configs[0]
  void _first
  return { config, learningRates: configs.map((c) => c.learningRate) }
}

/**
 * The runs of a job, after the engine's validator and the cost estimate: the same checks a file
 * gets, so a job main refuses is one the window could not have built from a valid file.
 */
export function jobRuns(job: Job, record: boolean): { ok: true; configs: RunConfig[] } | { ok: false; error: string } {
  const problem =
    jobProblem(job.config) ?? job.learningRates.reduce<ReturnType<typeof rateProblem>>((found, rate, i) => found ?? rateProblem(rate, `learningRates[${i}]`), null)
  if (problem) return { ok: false, error: problem.message }
  const plan = recordPlan(estimateCost(jobShape(job.config, job.learningRates.length)), record)
  if (!plan.ok) return { ok: false, error: plan.error }
  if (record && !plan.record) return { ok: false, error: plan.note ?? 'recording every column is beyond the memory budget' }
  // Shared, not copied: the pool posts each run to a worker, which gets its own copy then.
  return { ok: true, configs: job.learningRates.map((learningRate) => ({ ...job.config, learningRate })) }
}
