import type { Derivation, Formula } from '@shared/derivation'

/**
 * One sentence in plain words for each line of the chain-rule view: what the quantity on the
 * left means, so the student reads "how much E_total changes when out_o1 changes" beside
 * ∂E/∂out_o1. Names are derivation.ts's (δ_o1, ∂E/∂out_o1, ḡ, with _s2 for a sample).
 */

const sampleOf = (name: string): { base: string; sample: string } => {
  const m = /^(.*)_s(\d+)$/.exec(name)
  return m ? { base: m[1], sample: ` (sample ${m[2]})` } : { base: name, sample: '' }
}

export function stepSentence(name: string): string {
  const { base, sample } = sampleOf(name)
  let m: RegExpExecArray | null
  if ((m = /^δ_(o.*)$/.exec(base)))
    return `How much E_total changes when the net input ${m[1]} changes${sample}: how E_total changes with out_${m[1]}, times how out_${m[1]} changes with ${m[1]}.`
  if ((m = /^δ_(.+)$/.exec(base)))
    return `How much E_total changes when the net input ${m[1]} changes${sample}: the δ of every neuron ${m[1]} feeds, each through its weight, times how out_${m[1]} changes with ${m[1]}.`
  if ((m = /^∂E\/∂out_(.+)$/.exec(base))) return `How much E_total changes when out_${m[1]} changes${sample}.`
  if (base === 'ḡ') return `Every output's ∂E/∂out weighted by that output${sample}: softmax ties each output to all the others.`
  return ''
}

/** The sentence for the result line: ∂E/∂w = δ of the neuron it feeds × what it multiplies. */
export function resultSentence(d: Derivation, samples: number): string {
  const over = samples > 1 ? `, averaged over the ${samples} samples` : ''
  const from = inputOf(d.final)
  if (d.param.startsWith('b')) return `How much E_total changes when ${d.param} changes: the δ of its neuron (a bias multiplies 1)${over}.`
  return `How much E_total changes when ${d.param} changes: the δ of the neuron it feeds times the value it multiplies${from ? ` (${from})` : ''}${over}.`
}

/** The name of what the weight multiplies in `δ · x` (the first sample's), if any. */
function inputOf(final: Formula): string | null {
  const i = final.findIndex((t) => typeof t === 'string' && t.includes('·'))
  const t = i >= 0 ? final[i + 1] : undefined
  return t && typeof t !== 'string' ? t.name.replace(/_s\d+$/, '') : null
}

/**
 * What the gradient shown has to do with the epoch's update. The table's gradients are always the
 * full batch's (every training sample, at the row's parameters); with mini-batches the update did
 * not use them but one batch's mean gradient per step (docs/columns.md). `batchSize` is
 * RunConfig's: 0, or at least the training set, is the full batch.
 */
export function updateSentence(samples: number, batchSize: number): string {
  if (!(batchSize > 0) || batchSize >= samples)
    return `This is the gradient over the whole training set (${samples === 1 ? '1 sample' : `all ${samples} samples`}), the full batch: the update of this epoch used it.`
  const batches = Math.ceil(samples / batchSize)
  const last = samples - (batches - 1) * batchSize
  return (
    `This is the full-batch gradient, over all ${samples} training samples at the start of the epoch. ` +
    `The update used the batches: the samples were shuffled and split into ${batches} batches of ${batchSize}` +
    `${last !== batchSize ? ` (the last of ${last})` : ''}, and the parameters took one step per batch, with that batch's mean gradient.`
  )
}
