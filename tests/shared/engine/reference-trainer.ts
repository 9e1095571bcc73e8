import { seededRandom } from '../../../src/shared/engine/random'
import { LEAKY_SLOPE } from '../../../src/shared/math/activations'
import type { RunConfig } from '../../../src/shared/engine/types'

/**
 * An independent, deliberately plain trainer for checking the engine's every column: nested arrays,
 * one sample at a time, the optimizers written from the formulas in PyTorch's form (momentum
 * too: v ← μv + g; θ ← θ − ηv), its own Fisher–Yates. It shares only the seeded generator with the
 * engine (a primitive: mulberry32) and leaky ReLU's slope, and knows tanh, sigmoid, ReLU, leaky ReLU,
 * softplus and linear layers with half-sse, mse or bce.
 * Returns each epoch's row as column name → value.
 */
export function referenceRows(config: RunConfig): Map<string, number>[] {
  const { network, loss, samples, test, learningRate: eta, batchSize, optimizer: o, regularization: reg, epochs } = config
  const L = network.layers
  const depth = L.length - 1
  const act = (l: number, z: number): number => {
    const a = network.activations[l - 1]
    if (a === 'tanh') return Math.tanh(z)
    if (a === 'sigmoid') return 1 / (1 + Math.exp(-z))
    if (a === 'relu') return z > 0 ? z : 0
    if (a === 'leaky-relu') return z > 0 ? z : LEAKY_SLOPE * z
    if (a === 'softplus') return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))
    return z
  }
  /** The activation's slope at net input z, whose output is y. */
  const dact = (l: number, z: number, y: number): number => {
    const a = network.activations[l - 1]
    if (a === 'tanh') return 1 - y * y
    if (a === 'sigmoid') return y * (1 - y)
    if (a === 'relu') return z > 0 ? 1 : 0
    if (a === 'leaky-relu') return z > 0 ? 1 : LEAKY_SLOPE
    if (a === 'softplus') return 1 / (1 + Math.exp(-z))
    return 1
  }
  // W[l][j][i]: weight from neuron i of layer l−1 to neuron j of layer l; B[l][j].
  let k = 0
  const W: number[][][] = [[]]
  const B: number[][] = [[]]
  for (let l = 1; l <= depth; l++) {
    W.push(Array.from({ length: L[l] }, () => Array.from({ length: L[l - 1] }, () => config.weights[k++])))
  }
  k = 0
  for (let l = 1; l <= depth; l++) B.push(Array.from({ length: L[l] }, () => (network.bias === 'none' ? 0 : config.biases[k++])))
  const trainB = network.bias === 'trained'

  const forward = (x: number[]): { nets: number[][]; outs: number[][] } => {
    const nets: number[][] = [[]]
    const outs: number[][] = [x]
    for (let l = 1; l <= depth; l++) {
      const z = W[l].map((row, j) => row.reduce((s, w, i) => s + w * outs[l - 1][i], 0) + B[l][j])
      nets.push(z)
      outs.push(z.map((v) => act(l, v)))
    }
    return { nets, outs }
  }
  const terms = (y: number[], t: number[]): number[] =>
    y.map((v, j) =>
      loss === 'bce' ? -(t[j] * Math.log(v) + (1 - t[j]) * Math.log(1 - v)) : loss === 'mse' ? (t[j] - v) ** 2 / y.length : 0.5 * (t[j] - v) ** 2
    )
  /** ∂E/∂out for one output: half-sse's (y − t), mse's 2(y − t)/K. */
  const dloss = (y: number, t: number, K: number): number => (loss === 'mse' ? (2 * (y - t)) / K : y - t)
  /** Mean gradient over `list`: gW[l][j][i], gB[l][j]. */
  const gradient = (list: readonly { inputs: number[]; targets: number[] }[]) => {
    const gW = W.map((layer) => layer.map((row) => row.map(() => 0)))
    const gB = B.map((layer) => layer.map(() => 0))
    for (const s of list) {
      const { nets, outs } = forward(s.inputs)
      let delta = outs[depth].map((y, j) =>
        loss === 'bce' ? y - s.targets[j] : dloss(y, s.targets[j], outs[depth].length) * dact(depth, nets[depth][j], y)
      )
      for (let l = depth; l >= 1; l--) {
        delta.forEach((d, j) => {
          gB[l][j] += d / list.length
          outs[l - 1].forEach((a, i) => (gW[l][j][i] += (d * a) / list.length))
        })
        if (l > 1) delta = outs[l - 1].map((y, i) => W[l].reduce((sum, row, j) => sum + row[i] * delta[j], 0) * dact(l - 1, nets[l - 1][i], y))
      }
    }
    return { gW, gB }
  }
  const meanLoss = (list: readonly { inputs: number[]; targets: number[] }[]): number =>
    list.reduce((sum, s) => sum + terms(forward(s.inputs).outs[depth], s.targets).reduce((a, b) => a + b, 0), 0) / list.length
  const binary = [...samples, ...test].every((s) => s.targets.every((t) => t === 0 || t === 1))
  const accuracy = (list: readonly { inputs: number[]; targets: number[] }[]): number =>
    list.filter((s) => forward(s.inputs).outs[depth].every((y, j) => (y >= 0.5 ? 1 : 0) === s.targets[j])).length / list.length

  // Parameters in wN / bN order, as flat views for the optimizer.
  const params = (): { get: () => number; set: (v: number) => void; weight: boolean; name: string }[] => {
    const out: { get: () => number; set: (v: number) => void; weight: boolean; name: string }[] = []
    let n = 0
    for (let l = 1; l <= depth; l++) for (let j = 0; j < L[l]; j++) for (let i = 0; i < L[l - 1]; i++) out.push({ get: () => W[l][j][i], set: (v) => (W[l][j][i] = v), weight: true, name: `w${++n}` })
    n = 0
    if (trainB) for (let l = 1; l <= depth; l++) for (let j = 0; j < L[l]; j++) out.push({ get: () => B[l][j], set: (v) => (B[l][j] = v), weight: false, name: `b${++n}` })
    return out
  }
  const P = params()
  const flat = (g: ReturnType<typeof gradient>): number[] => [...g.gW.flatMap((layer) => layer.flat()), ...(trainB ? g.gB.flat() : [])]
  const slots = { sgd: [], momentum: ['v'], nesterov: ['v'], rmsprop: ['s'], adam: ['m', 'v'] }[o.kind]
  const state = slots.map(() => P.map(() => 0))
  let t = 0
  const step = (grads: number[]): void => {
    t++
    P.forEach((p, i) => {
      const w = p.get()
      let g = grads[i]
      if (p.weight && reg.kind === 'l1') g += reg.rate * Math.sign(w)
      if (p.weight && reg.kind === 'l2') g += reg.rate * w
      if (o.kind === 'sgd') p.set(w - eta * g)
      if (o.kind === 'momentum') p.set(w - eta * (state[0][i] = o.momentum * state[0][i] + g))
      if (o.kind === 'nesterov') {
        state[0][i] = o.momentum * state[0][i] + g
        p.set(w - eta * (g + o.momentum * state[0][i]))
      }
      if (o.kind === 'rmsprop') p.set(w - (eta * g) / (Math.sqrt((state[0][i] = o.rho * state[0][i] + (1 - o.rho) * g * g)) + o.epsilon))
      if (o.kind === 'adam') {
        const m = (state[0][i] = o.beta1 * state[0][i] + (1 - o.beta1) * g)
        const v = (state[1][i] = o.beta2 * state[1][i] + (1 - o.beta2) * g * g)
        p.set(w - (eta * (m / (1 - o.beta1 ** t))) / (Math.sqrt(v / (1 - o.beta2 ** t)) + o.epsilon))
      }
    })
  }

  const name = (l: number, j: number): string => (l === depth ? `o${j + 1}` : depth === 2 ? `h${j + 1}` : `h${l}_${j + 1}`)
  const shown = samples.length <= 10 ? samples.length : 1
  const random = seededRandom(config.shuffleSeed)
  const order = samples.map((_, i) => i)
  const rows: Map<string, number>[] = []
  for (let e = 0; e < epochs; e++) {
    const row = new Map<string, number>()
    for (let s = 0; s < shown; s++) {
      const sfx = shown > 1 ? `_s${s + 1}` : ''
      const { nets, outs } = forward(samples[s].inputs)
      samples[s].targets.forEach((v, j) => row.set(`t${j + 1}${sfx}`, v))
      samples[s].inputs.forEach((v, i) => row.set(`i${i + 1}${sfx}`, v))
      for (let l = 1; l <= depth; l++)
        nets[l].forEach((z, j) => {
          row.set(`${name(l, j)}${sfx}`, z)
          row.set(`out_${name(l, j)}${sfx}`, outs[l][j])
        })
      terms(outs[depth], samples[s].targets).forEach((v, j) => row.set(`E${j + 1}${sfx}`, v))
    }
    P.forEach((p) => row.set(p.name, p.get()))
    if (network.bias === 'fixed') B.flat().forEach((v, j) => row.set(`b${j + 1}`, v))
    row.set('E_tot', meanLoss(samples))
    const ws = P.filter((p) => p.weight).map((p) => p.get())
    if (reg.kind === 'l1') row.set('penalty', reg.rate * ws.reduce((a, w) => a + Math.abs(w), 0))
    if (reg.kind === 'l2') row.set('penalty', (reg.rate / 2) * ws.reduce((a, w) => a + w * w, 0))
    if (test.length) row.set('E_test', meanLoss(test))
    if (binary) row.set('acc_train', accuracy(samples))
    if (binary && test.length) row.set('acc_test', accuracy(test))
    const whole = flat(gradient(samples))
    P.forEach((p, i) => row.set(`∂E/∂${p.name}`, whole[i]))
    slots.forEach((symbol, slot) => P.forEach((p, i) => row.set(`${symbol}_${p.name}`, state[slot][i])))
    rows.push(row)
    if (batchSize > 0 && batchSize < samples.length) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[order[i], order[j]] = [order[j], order[i]]
      }
      for (let from = 0; from < order.length; from += batchSize) step(flat(gradient(order.slice(from, from + batchSize).map((i) => samples[i]))))
    } else step(whole)
  }
  return rows
}
