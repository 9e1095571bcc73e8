import { describe, expect, it } from 'vitest'
import { refitParameters } from '../../src/shared/engine/refit'

const same = (l: number): number => l
const sheet = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]
const drawn = (n: number): { weights: number[]; biases: number[] } => ({
  weights: Array.from({ length: n }, (_, i) => 100 + i),
  biases: [],
})

describe('refitParameters', () => {
  it("2-2-2 → 2-3-2 keeps the sheet's eight weights at their positions and draws the five new ones", () => {
    const r = refitParameters([2, 2, 2], [2, 3, 2], same, { weights: sheet, biases: undefined }, drawn(12))
    // Layer 1 (destination-major): h1 ← i1,i2; h2 ← i1,i2; h3 new. Layer 2: o1 ← h1,h2,h3; o2 ← h1,h2,h3.
    expect(r.weights).toEqual([0.15, 0.2, 0.25, 0.3, 104, 105, 0.4, 0.45, 108, 0.5, 0.55, 111])
    expect(r.kept).toBe(8)
    expect(r.drawnCount).toBe(4)
  })

  it('and back again gives the sheet', () => {
    const wide = refitParameters([2, 2, 2], [2, 3, 2], same, { weights: sheet, biases: undefined }, drawn(12))
    const back = refitParameters([2, 3, 2], [2, 2, 2], same, { weights: wide.weights, biases: undefined }, drawn(8))
    expect(back.weights).toEqual(sheet)
    expect(back.drawnCount).toBe(0)
  })

  it('a new hidden layer draws only the weights that touch it; biases stay with their neurons', () => {
    // 2-2-2 → 2-2-2-2 with the new layer at index 2: old output layer 2 is new layer 3.
    const layerOf = (l: number): number => (l < 2 ? l : l === 2 ? -1 : l - 1)
    const r = refitParameters([2, 2, 2], [2, 2, 2, 2], layerOf, { weights: sheet, biases: [1, 2, 3, 4] }, drawn(12))
    expect(r.weights.slice(0, 4)).toEqual([0.15, 0.2, 0.25, 0.3])
    expect(r.weights.slice(4)).toEqual([104, 105, 106, 107, 108, 109, 110, 111])
    expect(r.biases).toEqual([1, 2, 0, 0, 3, 4])
  })
})
