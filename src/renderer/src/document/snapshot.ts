import { canonicalJson } from '@shared/document/canonical-json'
import type { Experiment } from '@shared/experiment'

/**
 * What makes the document differ from its file (the results follow from it), in a form that is
 * quick to compare at the format's limits: the canonical JSON of everything but the samples, and
 * that of each sample (training and test), remembered per sample object. The experiment store never changes a sample
 * in place (an edit replaces it: stores/experiment.ts), so an unchanged sample is the same object
 * with the same string, and an edit costs one sample's JSON, not 10,240,000 numbers'.
 */
export interface Snapshot {
  head: string
  /** The training samples' JSON, then a separator, then the test samples'. */
  samples: readonly string[]
}

const sampleJson = new WeakMap<object, string>()

function jsonOf(sample: unknown): string {
  if (typeof sample !== 'object' || sample === null) return canonicalJson(sample)
  let json = sampleJson.get(sample)
  if (json === undefined) {
    json = canonicalJson(sample)
    sampleJson.set(sample, json)
  }
  return json
}

export function documentSnapshot(experiment: Experiment, notes: string): Snapshot {
  // The test samples are held like the training samples: per sample, not in the head.
  const { samples, test, ...rest } = experiment
  const list = (xs: unknown): string[] => (Array.isArray(xs) ? xs.map(jsonOf) : [canonicalJson(xs)])
  return {
    head: canonicalJson({ experiment: rest, notes }),
    samples: [...list(samples), '|', ...list(test)],
  }
}

export function sameSnapshot(a: Snapshot | null, b: Snapshot | null): boolean {
  if (a === b) return true
  if (!a || !b || a.head !== b.head || a.samples.length !== b.samples.length) return false
  return a.samples.every((s, i) => s === b.samples[i])
}

/** Differs from every document's snapshot: for work that was never saved to its file. */
export const NEVER_SAVED: Snapshot = Object.freeze({ head: '', samples: [] })
