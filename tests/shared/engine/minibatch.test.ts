import { describe, expect, it } from 'vitest'
import { batchCount, shuffle } from '../../../src/shared/engine/batches'
import { drawParameters, seededRandom } from '../../../src/shared/engine/random'
import { train } from '../../../src/shared/engine/trainer'
import { optimizerOf, sheetTraining, type BiasMode, type OptimizerKind, type RunConfig, type Sample } from '../../../src/shared/engine/types'
import { referenceRows } from './reference-trainer'

/**
 * Mini-batches, optimizers, regularization and the §3 columns (docs/columns.md), each checked
 * against tests/shared/engine/reference-trainer.ts, a plain independent recomputation.
 */
const point = (random: () => number, binary: boolean): Sample => {
  const x = [4 * random() - 2, 4 * random() - 2]
  return { inputs: x, targets: [binary ? (x[0] * x[1] > 0 ? 1 : 0) : 0.2 + 0.6 * random()] }
}

type Over = Partial<RunConfig> & { count?: number; testCount?: number; binary?: boolean; hidden?: number[]; bias?: BiasMode }

function config(over: Over): RunConfig {
  const { count = 12, testCount = 5, binary = true, hidden = [3], bias = 'trained', ...rest } = over
  const network = { layers: [2, ...hidden, 1], activations: [...hidden.map(() => 'tanh' as const), 'sigmoid' as const], bias }
  const random = seededRandom(42) // the same samples in every configuration
  return {
    ...sheetTraining(),
    network,
    loss: 'bce',
    samples: Array.from({ length: count }, () => point(random, binary)),
    test: Array.from({ length: testCount }, () => point(random, binary)),
    ...drawParameters(network, { seed: 3, scheme: 'xavier' }),
    learningRate: 0.3,
    epochs: 8,
    stopBelow: 0,
    ...rest,
  }
}

/** Every column of every row equals the reference's, to rounding. */
function expectLikeReference(c: RunConfig): void {
  const run = train(c)
  const want = referenceRows(c)
  expect(run.table.rowCount).toBe(c.epochs)
  const names = run.layout.names
  expect(new Set(names)).toEqual(new Set(want[0].keys()))
  for (let r = 0; r < c.epochs; r++)
    names.forEach((name, col) => {
      const got = run.table.get(r, col)
      const ref = want[r].get(name)!
      expect(Math.abs(got - ref), `row ${r + 1} ${name}: ${got} vs ${ref}`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(ref)))
    })
}

describe('mini-batches and optimizers against an independent recomputation', () => {
  it.each<[string, Over]>([
    ['adam, l2, batches of 5 (last of 2), 12 samples (first sample shown), test set', { optimizer: optimizerOf('adam'), regularization: { kind: 'l2', rate: 0.01 }, batchSize: 5, shuffleSeed: 7 }],
    ['momentum, l1, batches of 3, 4 samples (_s1…_s4), real targets', { optimizer: optimizerOf('momentum', { momentum: 0.8 }), regularization: { kind: 'l1', rate: 0.001 }, batchSize: 3, count: 4, testCount: 2, binary: false, loss: 'half-sse' }],
    ['nesterov, full batch, two hidden layers', { optimizer: optimizerOf('nesterov', { momentum: 0.5 }), hidden: [3, 2], testCount: 0 }],
    ['rmsprop, batches of 1', { optimizer: optimizerOf('rmsprop'), batchSize: 1, count: 6, shuffleSeed: 123 }],
    ['sgd, l2, batches of 4, fixed biases', { regularization: { kind: 'l2', rate: 0.1 }, batchSize: 4, bias: 'fixed' }],
  ])('%s', (_, over) => expectLikeReference(config(over)))

  it('penalty, E_test and the accuracies appear only when they exist; the state columns follow the gradients', () => {
    const plain = train(config({ testCount: 0, binary: false }))
    expect(plain.layout.names.filter((n) => /penalty|E_test|acc_/.test(n))).toEqual([])
    const adam = train(config({ optimizer: optimizerOf('adam'), regularization: { kind: 'l1', rate: 0.1 } }))
    const names = adam.layout.names
    expect(names.slice(names.indexOf('E_tot'), names.indexOf('E_tot') + 6)).toEqual(['E_tot', 'penalty', 'E_test', 'acc_train', 'acc_test', '∂E/∂w1'])
    // adam: all m_ then all v_, weights then biases, after the gradients; zeros in row 1.
    const P = 9 + 4
    expect(names.slice(-2 * P)).toEqual([...['m', 'v'].flatMap((s) => [...Array.from({ length: 9 }, (_, i) => `${s}_w${i + 1}`), ...Array.from({ length: 4 }, (_, i) => `${s}_b${i + 1}`)])])
    expect(adam.table.row(0).slice(-2 * P).every((x) => x === 0)).toBe(true)
  })
})

describe('batching and the shuffle', () => {
  const kinds: OptimizerKind[] = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam']

  it.each(kinds)('%s: batchSize 0 and ≥ n are the full batch, bit for bit, whatever the shuffle seed', (kind) => {
    const full = train(config({ optimizer: optimizerOf(kind) }))
    for (const over of [{ batchSize: 12 }, { batchSize: 500, shuffleSeed: 99 }, { shuffleSeed: 5 }]) {
      const other = train(config({ optimizer: optimizerOf(kind), ...over }))
      for (let c = 0; c < full.layout.names.length; c++) expect(Array.from(other.table.column(c))).toEqual(Array.from(full.table.column(c)))
    }
  })

  it('the same seed gives the same run bit for bit; another seed another path', () => {
    const a = train(config({ batchSize: 5, shuffleSeed: 11, epochs: 20 }))
    const b = train(config({ batchSize: 5, shuffleSeed: 11, epochs: 20 }))
    const c = train(config({ batchSize: 5, shuffleSeed: 12, epochs: 20 }))
    expect(Array.from(b.losses)).toEqual(Array.from(a.losses))
    expect(b.weights).toEqual(a.weights)
    expect(c.losses[0]).toBe(a.losses[0]) // the same start
    expect(c.losses[19]).not.toBe(a.losses[19])
  })

  it('an epoch is ⌈n/size⌉ batches; the shuffle is a permutation that changes epoch to epoch', () => {
    expect([batchCount(12, 5), batchCount(12, 4), batchCount(12, 12), batchCount(12, 0), batchCount(12, 1)]).toEqual([3, 3, 1, 1, 12])
    const order = Uint32Array.from({ length: 50 }, (_, i) => i)
    const r = seededRandom(1)
    shuffle(order, r)
    const first = Array.from(order)
    shuffle(order, r)
    expect([...first].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(Array.from(order)).not.toEqual(first)
  })

  it('a step that overflows in a batch ends the run at that epoch, naming the parameter and the batch', () => {
    const c = config({ batchSize: 4, learningRate: 1e308, loss: 'half-sse', binary: false, network: { layers: [2, 3, 1], activations: ['linear', 'linear'], bias: 'trained' } })
    const run = train(c)
    expect(run.stopReason.kind).toBe('diverged')
    expect(run.stopReason.message).toMatch(/^Diverged at epoch \d+: [wb]\d+ would become -?(Infinity|NaN) after batch \d of 3\. The \d+ epochs before it are kept\.$/)
    expect(run.table.rowCount).toBe(run.stopReason.epochs)
    expect(run.weights.every(Number.isFinite)).toBe(true)
  })
})
