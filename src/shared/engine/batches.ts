import { Network } from './network'
import { seededRandom } from './random'
import type { RunConfig } from './types'

/** Whether a run trains on mini-batches: a batch size above 0 and below the training-set size. */
export const isMiniBatch = (config: Pick<RunConfig, 'batchSize' | 'samples'>): boolean => config.batchSize > 0 && config.batchSize < config.samples.length

/** Batches of one epoch: ⌈n / size⌉, the last one smaller when size does not divide n. */
export const batchCount = (samples: number, size: number): number => (size > 0 && size < samples ? Math.ceil(samples / size) : 1)

/**
 * Fisher–Yates, in place, from the end: for i = n−1 … 1, swap order[i] with order[⌊random()·(i+1)⌋].
 * Each epoch shuffles the previous epoch's order, with one generator for the whole run.
 */
export function shuffle(order: Uint32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const x = order[i]
    order[i] = order[j]
    order[j] = x
  }
}

/**
 * The mini-batches of a run: each epoch a seeded shuffle of the training set (from shuffleSeed),
 * then batch after batch loaded into a network of the batch size (and one of the last, smaller
 * batch), whose own compiled kernel then runs it. Nothing per sample of a batch is kept.
 */
export class Batches {
  readonly size: number
  readonly count: number
  private readonly order: Uint32Array
  private readonly random: () => number
  private readonly full: Network
  private readonly last: Network | null

  constructor(
    config: RunConfig,
    private readonly source: Network,
    compile: boolean | undefined
  ) {
    const n = config.samples.length
    this.size = config.batchSize
    this.count = batchCount(n, this.size)
    this.order = Uint32Array.from({ length: n }, (_, i) => i)
    this.random = seededRandom(config.shuffleSeed)
    const rest = n % this.size
    const net = (count: number): Network => new Network({ ...config, samples: config.samples.slice(0, count) }, { compile, kept: 0 })
    this.full = net(this.size)
    this.last = rest ? net(rest) : null
  }

  /** Starts an epoch: a new order of the training set. */
  shuffle(): void {
    shuffle(this.order, this.random)
  }

  /** The network of batch j of this epoch, loaded with its samples and the parameters w, b. */
  load(j: number, w: Float64Array, b: Float64Array): Network {
    const net = j === this.count - 1 && this.last ? this.last : this.full
    net.loadSamples(this.source, this.order, j * this.size)
    net.weights.set(w)
    net.biases.set(b)
    return net
  }
}
