import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileSampleKernel, type KernelSpec } from '../../../src/shared/engine/kernel'
import { Network } from '../../../src/shared/engine/network'
import { biasModes, hiddenActivations, outputsFor, randomConfig } from '../random-config'
import { LOSSES, seededRandom, type RunConfig } from '../../../src/shared/engine'

/** A random config with `count` samples (randomConfig draws 1–3; mini-batches need more). */
function withSamples(config: RunConfig, count: number, seed: number): RunConfig {
  const random = seededRandom(seed)
  const { layers } = config.network
  const samples = Array.from({ length: count }, (_, i) => ({
    inputs: Array.from({ length: layers[0] }, () => 4 * random() - 2),
    // Softmax-CE targets sum to 1: reuse the config's own, which do.
    targets:
      config.loss === 'softmax-ce'
        ? config.samples[i % config.samples.length].targets
        : Array.from({ length: layers[layers.length - 1] }, random),
  }))
  return { ...config, samples }
}

const configs = fc
  .record({
    seed: fc.integer({ min: 0, max: 10_000 }),
    hidden: fc.constantFrom(...hiddenActivations),
    loss: fc.constantFrom(...LOSSES),
    bias: fc.constantFrom(...biasModes),
    count: fc.integer({ min: 1, max: 40 }),
    pick: fc.nat(),
  })
  .map(({ seed, hidden, loss, bias, count, pick }) => {
    const outs = outputsFor[loss]
    return withSamples(randomConfig(seed, hidden, outs[pick % outs.length], loss, bias), count, seed + 7)
  })

/** A shuffled order of the samples and a stretch [from, to) of it: a mini-batch. */
const batches = fc.record({
  order: fc.nat(),
  from: fc.nat(),
  size: fc.integer({ min: 1, max: 12 }),
  gradients: fc.boolean(),
  shuffled: fc.boolean(),
})

describe('the sample-loop kernel (any sample count, mini-batches as stretches of a shuffled order)', () => {
  it('gives the loops’ bits: loss, every net, out, loss term and gradient, for random nets and batches', () => {
    let compiled = 0
    fc.assert(
      fc.property(configs, batches, (config, batch) => {
        const S = config.samples.length
        const random = seededRandom(batch.order)
        const order = Int32Array.from({ length: S }, (_, i) => i)
        for (let i = S - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1))
          ;[order[i], order[j]] = [order[j], order[i]]
        }
        const from = batch.from % S
        const to = Math.min(S, from + batch.size)
        const fast = new Network(config)
        const plain = new Network(config, { compile: false })
        for (const net of [fast, plain]) {
          net.weights.set(config.weights)
          net.biases.set(config.biases)
        }
        const use = batch.shuffled ? order : null
        const a = fast.run(fast.weights, fast.biases, batch.gradients, use, from, to)
        const b = plain.run(plain.weights, plain.biases, batch.gradients, use, from, to)
        if (compileSampleKernel((fast as unknown as { spec: KernelSpec }).spec, batch.gradients)) compiled++
        expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))).toBe(true)
        expect(fast.state).toEqual(plain.state)
      }),
      { numRuns: 300 }
    )
    // Softmax outputs and the softmax-CE loss are never compiled; the rest are.
    expect(compiled).toBeGreaterThan(150)
  })

  it('a mini-batch’s gradients are the mean over its samples: the same as a network holding only those samples', () => {
    const config = withSamples(randomConfig(3, 'tanh', 'tanh', 'half-sse', 'trained'), 30, 11)
    const batch = [29, 3, 17, 8, 0, 22, 5, 11, 14, 26]
    const order = Int32Array.from([...batch, ...Array.from({ length: 30 }, (_, i) => i).filter((i) => !batch.includes(i))])
    const whole = new Network(config)
    whole.weights.set(config.weights)
    whole.biases.set(config.biases)
    const loss = whole.run(whole.weights, whole.biases, true, order, 0, 10)
    const alone = new Network({ ...config, samples: batch.map((i) => config.samples[i]) })
    alone.weights.set(config.weights)
    alone.biases.set(config.biases)
    // The same operations in the same order: equal bits, not just close.
    expect(loss).toBe(alone.run(alone.weights, alone.biases))
    expect(whole.gradW).toEqual(alone.gradW)
    expect(whole.gradB).toEqual(alone.gradB)
  })
})
