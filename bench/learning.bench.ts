/**
 * Learning benchmark (issue 15): epochs/s learning the spiral with mini-batches, beside TensorFlow.js
 * (CPU and WebAssembly backends) and brain.js, all measured in the same run on the same data from the
 * same initial weights for the same number of epochs. Not a test: it prints figures, the ratios
 * against each peer, and each contender's final training accuracy so a reader sees they did
 * comparable work. Run with `npm run bench:learning` (part of `npm run bench`).
 */
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import {
  drawParameters,
  Network,
  NO_REGULARIZATION,
  optimizerOf,
  seededRandom,
  Trainer,
  type NetworkSpec,
  type RunConfig,
} from '../src/shared/engine'
import { shuffle } from '../src/shared/engine/batches'
import { generateDataset } from '../src/shared/data'
import { accuracy as fractionRight } from '../src/shared/engine/metrics'
import { shapeOf } from '../src/shared/engine/shape'
import { best, ratio } from './rounds'

/** What this bench uses of brain.js 1.6.1's NeuralNetwork (its own typings leave out the internals). */
interface BrainNet {
  sizes: number[]
  weights: Float32Array[][]
  biases: Float32Array[]
  initialize(): void
  validateTrainingOptions(options: object): void
  train(data: { input: number[]; output: number[] }[], options: object): { error: number; iterations: number }
  run(input: number[]): ArrayLike<number>
}
const require = createRequire(import.meta.url)
const brain = require('brain.js') as { NeuralNetwork: new (options: object) => BrainNet }

const EPOCHS = Number(process.env.EPOCHS ?? 100)
const ROUNDS = 3
const BATCH = 10
const RATE = 0.03 // Playground's default learning rate

const network: NetworkSpec = { layers: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'tanh'], bias: 'trained' }
// The window's spiral, every point for training (testFraction 0): the data every contender learns.
const { samples } = generateDataset({ generator: 'spiral', count: 500, noise: 0, seed: 1, testFraction: 0 }, 1)
const config: RunConfig = {
  network,
  loss: 'half-sse',
  samples,
  test: [],
  ...drawParameters(network, { seed: 1, scheme: 'xavier' }),
  learningRate: RATE,
  batchSize: BATCH,
  shuffleSeed: 1,
  optimizer: optimizerOf('sgd'),
  regularization: NO_REGULARIZATION,
  epochs: EPOCHS,
  stopBelow: 0,
}

/** A contender trains `config` for `epochs` epochs from its initial parameters and returns its outputs on the training set. */
type Contender = (epochs: number) => Promise<ArrayLike<number>>

/** Fraction of samples predicted right (the single output counts as 1 from 0.5 up), as the table's acc_train. */
const targets = Float64Array.from(samples, (s) => s.targets[0])
const accuracy = (outputs: ArrayLike<number>): number => fractionRight(Float64Array.from(outputs), targets, 1, samples.length, false)

/** The outputs of our network for every training sample at the given parameters. */
function ourOutputs(weights: Float64Array, biases: Float64Array): Float64Array {
  const net = new Network(config, { predictions: true })
  net.run(weights, biases, false)
  return net.predictions
}

/** compile false: the loops, what runs where code generation is forbidden (a CSP without 'unsafe-eval', as in the window). */
function ours(record: boolean, compile = true): Contender {
  return async (epochs) => {
    const t = new Trainer({ ...config, epochs }, { record, compile })
    t.step()
    return ourOutputs(t.weights, t.biases)
  }
}

const shape = shapeOf(network.layers)

/** Layer l's weights (1-based) as rows of destination neurons, sources minor: our wN order. */
function weightRows(l: number): number[][] {
  const { layers, weightOffset } = shape
  const at = weightOffset[l]
  return Array.from({ length: layers[l] }, (_, j) => config.weights.slice(at + j * layers[l - 1], at + (j + 1) * layers[l - 1]))
}

function biasRow(l: number): number[] {
  const at = shape.neuronOffset[l]
  return config.biases.slice(at, at + shape.layers[l])
}

/**
 * TensorFlow.js on one backend: the same 2-8-8-1 tanh net, the same initial weights (Dense kernels
 * are [inputs, units], so ours transposed), plain SGD on the batch mean of ½(t − y)², one
 * optimizer.minimize per batch of the same shuffled batches. That loop ran faster here than
 * model.fit (which adds callbacks and its own shuffle), so it is the fairer figure for TF.js.
 */
function tfjs(backend: 'cpu' | 'wasm'): Contender {
  return async (epochs) => {
    await tf.setBackend(backend)
    await tf.ready()
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
        tf.layers.dense({ units: 8, activation: 'tanh' }),
        tf.layers.dense({ units: 1, activation: 'tanh' }),
      ],
    })
    model.layers.forEach((layer, i) => {
      const rows = weightRows(i + 1)
      layer.setWeights([tf.tensor2d(rows[0].map((_, src) => rows.map((row) => row[src]))), tf.tensor1d(biasRow(i + 1))])
    })
    const optimizer = tf.train.sgd(RATE)
    // The batches our trainer makes: the engine's own shuffle from the same seed, each epoch reshuffling the last.
    const random = seededRandom(config.shuffleSeed)
    const order = Uint32Array.from(samples, (_, i) => i)
    for (let e = 0; e < epochs; e++) {
      shuffle(order, random)
      for (let from = 0; from < order.length; from += BATCH) {
        const batch = Array.from(order.subarray(from, from + BATCH))
        tf.tidy(() => {
          const x = tf.tensor2d(batch.map((i) => samples[i].inputs))
          const y = tf.tensor2d(batch.map((i) => samples[i].targets))
          optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor).mul(0.5) as tf.Scalar)
        })
      }
    }
    const outputs = tf.tidy(() => model.predict(tf.tensor2d(samples.map((s) => s.inputs))) as tf.Tensor)
    const values = await outputs.data()
    outputs.dispose()
    model.dispose()
    optimizer.dispose()
    return values
  }
}

/**
 * brain.js 1.6.1 trains per sample (it has no batch option): same net, same initial weights, same
 * epochs, in its own order. It refuses momentum 0 ("out of normal training range"), so its check
 * sees a stand-in and training uses 0: plain SGD like the others.
 */
class BrainSgd extends brain.NeuralNetwork {
  validateTrainingOptions(options: { momentum?: number }): void {
    super.validateTrainingOptions({ ...options, momentum: options.momentum || 0.5 })
  }
}

function brainjs(): Contender {
  const data = samples.map((s) => ({ input: s.inputs, output: s.targets }))
  return async (epochs) => {
    const net = new BrainSgd({ hiddenLayers: [8, 8], activation: 'tanh' })
    net.sizes = network.layers
    net.initialize()
    for (let l = 1; l < network.layers.length; l++) {
      weightRows(l).forEach((row, j) => net.weights[l][j].set(row))
      net.biases[l].set(biasRow(l))
    }
    net.train(data, { iterations: epochs, errorThresh: 1e-12, learningRate: RATE, momentum: 0, log: false })
    return samples.map((s) => net.run(s.inputs)[0])
  }
}

/**
 * This process's CPU time (user + system), in seconds. Every contender computes in this one thread
 * (TF.js's wasm backend picks its SIMD build without threads in Node), so on an idle machine this is the wall
 * time; on this shared 2-core machine it leaves out the time other processes held the cores.
 */
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

const names = [
  'Backprop Lab, every column recorded',
  'Backprop Lab, E_tot only',
  '  the same in the loops (no code gen.)',
  'TensorFlow.js 4.22 cpu',
  'TensorFlow.js 4.22 wasm',
  'brain.js 1.6.1 (per sample)',
]
tf.enableProdMode() // what a production user of TF.js sets: no debug checks, no Node banner
setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/')
const contenders = [ours(true), ours(false), ours(false, false), tfjs('cpu'), tfjs('wasm'), brainjs()]

console.log(
  `spiral, ${samples.length} points, 2-8-8-1 tanh, batch ${BATCH}, SGD η = ${RATE}, ${EPOCHS} epochs, ${ROUNDS} interleaved rounds, epochs per CPU second`
)
for (const run of contenders) await run(Math.max(1, EPOCHS / 10)) // warm up the JIT and the backends
const rounds: number[][] = []
const acc: number[] = []
for (let r = 0; r < ROUNDS; r++) {
  const round: number[] = []
  for (const [i, run] of contenders.entries()) {
    const t0 = cpuSeconds()
    const outputs = await run(EPOCHS)
    round.push(EPOCHS / (cpuSeconds() - t0))
    acc[i] = accuracy(outputs)
  }
  rounds.push(round)
}
const fastest = best(rounds)
const fmt = (x: number): string => (x >= 1e3 ? `${(x / 1e3).toFixed(2)} k` : x.toFixed(1)).padStart(8)
names.forEach((name, i) => console.log(`  ${name.padEnd(38)} ${fmt(fastest[i])} epochs/s   training accuracy ${(acc[i] * 100).toFixed(1)} %`))
const [rec, lossOnly, loops, cpu, wasm, br] = [0, 1, 2, 3, 4, 5]
console.log(
  `  ratios (median of in-round ratios): E_tot only vs TF.js cpu ×${ratio(rounds, lossOnly, cpu).toFixed(1)}, vs wasm ×${ratio(rounds, lossOnly, wasm).toFixed(1)} (target ≥ 10), vs brain.js ×${ratio(rounds, lossOnly, br).toFixed(2)} (target ≥ 1)`
)
console.log(
  `                                      recorded vs TF.js cpu ×${ratio(rounds, rec, cpu).toFixed(1)}, vs wasm ×${ratio(rounds, rec, wasm).toFixed(1)}, vs brain.js ×${ratio(rounds, rec, br).toFixed(2)}`
)
console.log(
  `                                      loops vs TF.js cpu ×${ratio(rounds, loops, cpu).toFixed(1)}, vs wasm ×${ratio(rounds, loops, wasm).toFixed(1)}, vs brain.js ×${ratio(rounds, loops, br).toFixed(2)}`
)
