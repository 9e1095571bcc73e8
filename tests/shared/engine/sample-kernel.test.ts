import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Network } from '../../../src/shared/engine/network'
import { biasModes, hiddenActivations, outputsFor, randomConfig } from '../random-config'
import { drawParameters, LOSSES, optimizerOf, seededRandom, Trainer, type NetworkSpec, type RunConfig } from '../../../src/shared/engine'
import { generateDataset } from '../../../src/shared/data'

/** A random config with `count` samples (randomConfig draws 1–3; mini-batches and datasets have more). */
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

const cases = fc.record({
  seed: fc.integer({ min: 0, max: 10_000 }),
  hidden: fc.constantFrom(...hiddenActivations),
  loss: fc.constantFrom(...LOSSES),
  bias: fc.constantFrom(...biasModes),
  // Up to 8-wide hidden layers and 60 samples: both the written-out kernel and the sample loop.
  maxHidden: fc.integer({ min: 1, max: 8 }),
  count: fc.integer({ min: 1, max: 60 }),
  pick: fc.nat(),
  kept: fc.integer({ min: 0, max: 12 }),
  predictions: fc.boolean(),
  gradients: fc.boolean(),
})

describe('the compiled kernel over many samples (written out, or one sample’s code in a loop)', () => {
  it('gives the loops’ bits: loss, every slot’s net, out and loss term, predictions and gradients', () => {
    let compiled = 0
    let looped = 0
    fc.assert(
      fc.property(cases, (c) => {
        const outs = outputsFor[c.loss]
        const config = withSamples(
          randomConfig(c.seed, c.hidden, outs[c.pick % outs.length], c.loss, c.bias, c.maxHidden),
          c.count,
          c.seed + 7
        )
        const options = { kept: c.kept, predictions: c.predictions }
        const fast = new Network(config, options)
        const plain = new Network(config, { ...options, compile: false })
        for (const net of [fast, plain]) {
          net.weights.set(config.weights)
          net.biases.set(config.biases)
        }
        const a = fast.run(fast.weights, fast.biases, c.gradients)
        const b = plain.run(plain.weights, plain.biases, c.gradients)
        if (fast.kernel) {
          compiled++
          const { weightCount: W, neuronCount: N } = fast.shape
          if (c.count * (2 * W + 4 * N) > 600) looped++
        }
        expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))).toBe(true)
        expect(fast.state).toEqual(plain.state)
      }),
      { numRuns: 300 }
    )
    // Softmax outputs and the softmax-CE loss are never compiled; the rest are, many as a loop.
    expect(compiled).toBeGreaterThan(150)
    expect(looped).toBeGreaterThan(50)
  })
})

describe('a mini-batch run with a test set, compiled and in the loops', () => {
  it('records the same bits in every column of every epoch (whole-set pass, batches, test pass)', () => {
    const network: NetworkSpec = { layers: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' }
    const { samples, test } = generateDataset({ generator: 'spiral', count: 120, noise: 10, seed: 4, testFraction: 0.5 }, 1)
    const config: RunConfig = {
      network,
      loss: 'half-sse',
      samples,
      test,
      ...drawParameters(network, { seed: 2, scheme: 'xavier' }),
      learningRate: 0.3,
      batchSize: 7, // 60 samples: 8 batches of 7 and a last one of 4
      shuffleSeed: 9,
      optimizer: optimizerOf('adam'),
      regularization: { kind: 'l2', rate: 0.001 },
      epochs: 30,
      stopBelow: 0,
    }
    const fast = new Trainer(config)
    const plain = new Trainer(config, { compile: false })
    fast.step()
    plain.step()
    expect(fast.stopReason).toEqual(plain.stopReason)
    const names = plain.layout!.names
    expect(names).toContain('E_test')
    expect(names).toContain('acc_test')
    names.forEach((name, c) => expect(fast.table!.column(c), name).toEqual(plain.table!.column(c)))
    expect(fast.weights).toEqual(plain.weights)
  })
})
