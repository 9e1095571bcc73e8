import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hiddenActivations } from './random-config'
import { ACTIVATIONS, BIAS_MODES, LOSSES, ConfigError, optimizerOf, runConfigProblem, shapeOf, sheetTraining, Trainer, type Activation, type Loss, type RunConfig } from '../../src/shared/engine'
import { defaultExperiment, parseExperiment, runConfigs } from '../../src/shared/experiment'

const finite = fc.double({ min: -3, max: 3, noNaN: true })

/** Random valid configurations, including ones that diverge (large η, linear and relu layers). */
const validConfig: fc.Arbitrary<RunConfig> = fc
  .record({
    layers: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.constantFrom<Activation>(...hiddenActivations),
    lossKind: fc.constantFrom<Loss>(...LOSSES),
    bias: fc.constantFrom(...BIAS_MODES),
    samples: fc.integer({ min: 1, max: 3 }),
    learningRate: fc.double({ min: 1e-4, max: 100, noNaN: true }),
    // 0 half the time: plain gradient descent has its own compiled step (kernel.ts compileUpdate).
    momentum: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })),
    seed: fc.integer({ min: 0, max: 1000 }),
    values: fc.array(finite, { minLength: 400, maxLength: 400 }),
  })
  .map(({ layers, hidden, lossKind, bias, samples, learningRate, momentum, values }) => {
    const outs = layers[layers.length - 1]
    const needsSoftmax = lossKind === 'softmax-ce'
    if (needsSoftmax && outs < 2) layers[layers.length - 1] = 2
    const outAct: Activation = lossKind === 'bce' ? 'sigmoid' : needsSoftmax ? 'softmax' : hidden
    const shape = shapeOf(layers)
    let k = 0
    const next = () => values[k++ % values.length]
    const unit = () => Math.abs(next()) / 3
    return {
      network: { layers, activations: layers.slice(1).map((_, l, a) => (l === a.length - 1 ? outAct : hidden)), bias },
      loss: lossKind,
      samples: Array.from({ length: samples }, () => ({
        inputs: Array.from({ length: layers[0] }, next),
        targets: Array.from({ length: layers[layers.length - 1] }, unit),
      })),
      weights: Array.from({ length: shape.weightCount }, next),
      biases: bias === 'none' ? [] : Array.from({ length: shape.neuronCount }, next),
      learningRate,
      ...sheetTraining(),
      optimizer: optimizerOf('momentum', { momentum }),
      epochs: 50,
      stopBelow: 0,
    }
  })

describe('property: any valid configuration trains', () => {
  it('never throws; ends with every loss finite or with a divergence reason', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        expect(runConfigProblem(config)).toBeNull()
        const t = new Trainer(config)
        t.step()
        const losses = t.losses.toArray()
        expect(losses.every(Number.isFinite)).toBe(true)
        expect(t.table!.rowCount).toBe(losses.length)
        if (t.stopReason!.kind === 'diverged') expect(t.stopReason!.message).toMatch(/^Diverged at epoch \d+: /)
        else expect(losses.length).toBe(50)
      }),
      { numRuns: 400 }
    )
  })
})

describe('property: the compiled kernel and the loops give identical bits', () => {
  it('every recorded value of every epoch, for random small networks', () => {
    let compiled = 0
    fc.assert(
      fc.property(validConfig, (config) => {
        const fast = new Trainer(config)
        const plain = new Trainer(config, { compile: false })
        fast.step()
        plain.step()
        if ((fast as unknown as { net: { kernel: unknown } }).net.kernel) compiled++
        expect(fast.stopReason).toEqual(plain.stopReason)
        const rows = plain.table!.rowCount
        expect(fast.table!.rowCount).toBe(rows)
        plain.layout!.names.forEach((name, c) => expect(fast.table!.column(c), name).toEqual(plain.table!.column(c)))
        expect(fast.weights).toEqual(plain.weights)
      }),
      { numRuns: 150 }
    )
    // Softmax outputs are never compiled; most other random configurations are.
    expect(compiled).toBeGreaterThan(75)
  })
})

describe('property: invalid configurations are refused with a message naming the field', () => {
  const base = runConfigs(defaultExperiment())[0]
  const mutations: fc.Arbitrary<[string, RunConfig]> = fc.oneof(
    fc.constantFrom(NaN, Infinity, -Infinity).map((x): [string, RunConfig] => ['init.weights[', { ...base, weights: base.weights.map((w, i) => (i === 3 ? x : w)) }]),
    fc.integer({ min: 0, max: 7 }).map((n): [string, RunConfig] => ['init.weights', { ...base, weights: base.weights.slice(0, n) }]),
    fc.integer({ min: -5, max: 0 }).map((n): [string, RunConfig] => ['network.layers[1]', { ...base, network: { ...base.network, layers: [2, n, 2] } }]),
    fc.double({ min: -10, max: 0 }).map((x): [string, RunConfig] => ['training.learningRate', { ...base, learningRate: x }]),
    fc.string().filter((s) => !(ACTIVATIONS as readonly string[]).includes(s)).map((s): [string, RunConfig] => ['network.activations[0]', { ...base, network: { ...base.network, activations: [s as Activation, 'sigmoid'] } }]),
    fc.integer({ min: 13, max: 10_000 }).map((n): [string, RunConfig] => ['network.layers', { ...base, network: { ...base.network, layers: Array(n).fill(2) } }]),
    fc.double({ min: 1, max: 10 }).map((x): [string, RunConfig] => ['training.optimizer.momentum', { ...base, optimizer: optimizerOf('momentum', { momentum: x }) }]),
    fc.constantFrom(0, -3, 1.5, NaN).map((x): [string, RunConfig] => ['training.epochs', { ...base, epochs: x }])
  )
  it('the engine refuses each one, naming the field', () => {
    fc.assert(
      fc.property(mutations, ([field, config]) => {
        const problem = runConfigProblem(config)
        expect(problem).toBeInstanceOf(ConfigError)
        expect(problem!.message.startsWith(field)).toBe(true)
        expect(() => new Trainer(config)).toThrow(ConfigError)
      }),
      { numRuns: 500 }
    )
  })

  it('the experiment file refuses junk with one message naming the field, and keeps unknown fields', () => {
    const good = { ...defaultExperiment(), notes: 'kept', extra: { x: 1 } }
    const parsed = parseExperiment(good)
    expect(parsed.ok && (parsed.value as Record<string, unknown>).extra).toEqual({ x: 1 })
    const bad: [unknown, RegExp][] = [
      [null, /^file: /],
      [{ ...good, format: 'x' }, /^format: must be "backprop-lab\.experiment"/],
      [{ ...good, version: 9 }, /^version: /],
      [{ ...good, network: { ...good.network, layers: [2, -1, 2] } }, /^network\.layers\[1\]: must be at least 1/],
      [{ ...good, init: { weights: [1, 2] } }, /^init\.weights: needs 8 values, got 2/],
      [{ ...good, init: { weights: ['a'] } }, /^init\.weights\[0\]: must be a number/],
      [{ ...good, training: { ...good.training, learningRates: [] } }, /^training\.learningRates: needs at least one/],
      [{ ...good, training: { ...good.training, learningRates: [0.5, -2] } }, /^training\.learningRates\[1\]: must be > 0/],
      [{ ...good, network: { ...good.network, layers: Array(10_000).fill(2), activations: Array(9_999).fill('sigmoid') } }, /^network\.layers: has 10000 layers/],
    ]
    for (const [data, message] of bad) {
      const r = parseExperiment(data)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toMatch(message)
    }
  })
})
