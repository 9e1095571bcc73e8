import { describe, expect, it } from 'vitest'
import { updateSentence } from '../../src/renderer/src/math/step-sentence'

describe('the chain-rule view’s sentence on what the update used', () => {
  it('full batch (batch size 0, or at least the training set): the gradient shown is the update’s', () => {
    for (const [n, b] of [
      [1, 0],
      [4, 0],
      [4, 4],
      [4, 10],
    ]) {
      const s = updateSentence(n, b)
      expect(s).toMatch(/the full batch: the update of this epoch used it\.$/)
      expect(s).not.toMatch(/batches/)
    }
    expect(updateSentence(1, 0)).toMatch(/\(1 sample\)/)
    expect(updateSentence(4, 0)).toMatch(/\(all 4 samples\)/)
  })

  it('mini-batches: says the update used them, how many and how big, the last one’s size when it differs', () => {
    expect(updateSentence(500, 10)).toBe(
      'This is the full-batch gradient, over all 500 training samples at the start of the epoch. The update used the batches: the samples were shuffled and split into 50 batches of 10, and the parameters took one step per batch, with that batch\'s mean gradient.'
    )
    expect(updateSentence(25, 10)).toMatch(/3 batches of 10 \(the last of 5\)/)
  })
})
