import { describe, expect, it } from 'vitest'
import { sheetTraining, Trainer, type RunConfig } from '../../src/shared/engine'

// Matt Mazur's worked example: the sheet's network with fixed biases 0.35 (hidden) and 0.60 (output).
const mazur: RunConfig = {
  network: { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'fixed' },
  loss: 'half-sse',
  samples: [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }],
  weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55],
  biases: [0.35, 0.35, 0.6, 0.6],
  learningRate: 0.5,
  ...sheetTraining(),
  epochs: 10_001,
  stopBelow: 0,
}

describe("Matt Mazur's worked example", () => {
  it('first loss, one step, and 10,000 steps', () => {
    const t = new Trainer(mazur)
    t.step(1)
    expect(t.losses.get(0)).toBeCloseTo(0.298371109, 9)
    expect(t.weights[4]).toBeCloseTo(0.35891648, 9)
    t.step(1)
    expect(t.losses.get(1)).toBeCloseTo(0.291027774, 9)
    t.step()
    // The loss after 10,000 updates is the one measured by epoch 10,001.
    expect(t.losses.get(10_000)).toBeCloseTo(3.5101878e-5, 12)
    // Fixed biases take part in the forward pass but never change.
    expect(Array.from(t.biases)).toEqual([0.35, 0.35, 0.6, 0.6])
    expect(t.layout!.names).toContain('b1')
    expect(t.layout!.names).not.toContain('∂E/∂b1')
  })
})
