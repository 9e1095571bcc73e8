import { describe, expect, it } from 'vitest'
import temml from 'temml'
import { Network, train, type RunConfig } from '../../src/shared/engine'
import { NO_REGULARIZATION, OPTIMIZER_KINDS, optimizerOf, type NetworkSpec, type Optimizer, type OptimizerKind, type Regularization } from '../../src/shared/engine/types'
import { columnLayout } from '../../src/shared/engine/columns'
import {
  HYPERS,
  OPTIMIZER_DEFS,
  REGULARIZATION_DEFS,
  newState,
  optimizerText,
  penalty,
  } from '../../src/shared/math/optimizers'
import { randomConfig } from './random-config'
import { relError } from './reference'

const REGS: Regularization[] = [NO_REGULARIZATION, { kind: 'l1', rate: 0.05 }, { kind: 'l2', rate: 0.3 }]

/** Largest relative difference of two lists of numbers. */
function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length)
  let e = 0
  for (let i = 0; i < got.length; i++) e = Math.max(e, relError(got[i], want[i]))
  return e
}

/**
 * The gradient an optimizer's first step (from zero state) used, read back from what the step did,
 * each by its own formula: sgd θ' = θ − η·g; momentum v = g; nesterov v = g; rmsprop s = (1 − ρ)·g²
 * with the sign of the move; adam m = (1 − β1)·g.
 */
function usedGradient(opt: Optimizer, before: Float64Array, after: Float64Array, state: Float64Array[], eta: number): number[] {
  return Array.from(before, (theta, i) => {
    switch (opt.kind) {
      case 'sgd':
        return (theta - after[i]) / eta
      case 'momentum':
      case 'nesterov':
        return state[0][i]
      case 'rmsprop':
        return Math.sign(theta - after[i]) * Math.sqrt(state[0][i] / (1 - opt.rho))
      case 'adam':
        return state[0][i] / (1 - opt.beta1)
    }
  })
}

/** E_tot + penalty at (w, b), the regularized objective. */
function objective(net: Network, w: Float64Array, b: Float64Array, reg: Regularization): number {
  return net.run(w, b, false) + penalty(reg, w)
}

/** Centred finite differences of the regularized objective against the gradient the step used; largest mismatch. */
function gradientCheck(config: RunConfig, opt: Optimizer, reg: Regularization, stepReg: Regularization = reg): number {
  const net = new Network(config)
  const w = Float64Array.from(config.weights)
  const b = Float64Array.from(config.biases)
  const eta = 0.01
  net.run(w, b)
  const [nw, nb] = [Float64Array.from(w), Float64Array.from(b)]
  const [sw, sb] = [newState(opt.kind, w.length), newState(opt.kind, b.length)]
  expect(OPTIMIZER_DEFS[opt.kind].step(nw, Float64Array.from(net.gradW), sw, 1, eta, stepReg, opt)).toBe(true)
  expect(OPTIMIZER_DEFS[opt.kind].step(nb, Float64Array.from(net.gradB), sb, 1, eta, NO_REGULARIZATION, opt)).toBe(true)
  const used = [...usedGradient(opt, w, nw, sw, eta), ...usedGradient(opt, b, nb, sb, eta)]
  const h = 1e-6
  let bad = 0
  ;[...Array.from(w, (_, i) => [w, i] as const), ...Array.from(b, (_, i) => [b, i] as const)].forEach(([arr, i], k) => {
    const keep = arr[i]
    arr[i] = keep + h
    const up = objective(net, w, b, reg)
    arr[i] = keep - h
    const down = objective(net, w, b, reg)
    arr[i] = keep
    const numeric = (up - down) / (2 * h)
    bad = Math.max(bad, Math.abs(numeric - used[k]) / (1e-6 + Math.abs(numeric) + Math.abs(used[k])))
  })
  return bad
}

describe('the registry', () => {
  it('has every kind of the contract, with its state names and defaults', () => {
    expect(Object.keys(OPTIMIZER_DEFS).sort()).toEqual([...OPTIMIZER_KINDS].sort())
    expect(OPTIMIZER_KINDS.map((k) => OPTIMIZER_DEFS[k].state)).toEqual([[], ['v'], ['v'], ['s'], ['m', 'v']])
    expect(optimizerOf('adam')).toEqual({ kind: 'adam', momentum: 0.9, rho: 0.99, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    expect(optimizerOf('momentum', { momentum: 0.5 }).momentum).toBe(0.5)
    // The table's state columns (engine/columns.ts): all of the first state, then the next.
    const stateColumns = (kind: OptimizerKind, network: NetworkSpec): string[] =>
      columnLayout(network, 1, { state: OPTIMIZER_DEFS[kind].state }).columns.filter((c) => c.kind === 'state').map((c) => c.name)
    expect(stateColumns('adam', { layers: [2, 1], activations: ['sigmoid'], bias: 'trained' })).toEqual(['m_w1', 'm_w2', 'm_b1', 'v_w1', 'v_w2', 'v_b1'])
    expect(stateColumns('sgd', { layers: [1, 1], activations: ['sigmoid'], bias: 'none' })).toEqual([])
  })

  it('every formula in TeX typesets (Temml, strict) and names only its own hyper-parameters', () => {
    for (const kind of OPTIMIZER_KINDS) {
      const def = OPTIMIZER_DEFS[kind]
      expect(def.tex.length).toBe(optimizerText(kind).length)
      for (const tex of def.tex) expect(temml.renderToString(tex, { throwOnError: true })).toContain('<math')
      const words = optimizerText(kind).join(' ')
      for (const [h, { symbol }] of Object.entries(HYPERS)) expect(words.includes(symbol), `${kind} ${h}`).toBe(def.hypers.includes(h as keyof typeof HYPERS))
    }
    for (const def of Object.values(REGULARIZATION_DEFS)) for (const tex of [def.gradTex, def.penaltyTex]) if (tex) temml.renderToString(tex, { throwOnError: true })
  })
})

describe('finite-difference check: the gradient each update uses is that of data loss + penalty', () => {
  let seed = 5
  for (const kind of OPTIMIZER_KINDS)
    for (const reg of REGS)
      it(`${kind}, regularization ${reg.kind}`, () => {
        for (let trial = 0; trial < 3; trial++) {
          const config = randomConfig(seed++ * 104729, 'tanh', 'sigmoid', 'half-sse', 'trained')
          expect(gradientCheck(config, optimizerOf(kind), reg)).toBeLessThan(1e-5)
        }
      })

  it('the check can fail: an update that ignores the penalty is caught, for L1 and L2', () => {
    for (const reg of REGS.slice(1)) expect(gradientCheck(randomConfig(17, 'tanh', 'sigmoid', 'half-sse', 'trained'), optimizerOf('adam'), reg, NO_REGULARIZATION)).toBeGreaterThan(1e-3)
  })
})

/**
 * A tiny net by hand: 2 inputs, one linear output with a trained bias, ½(t − out)², one sample
 * x = (1, 2), t = 1; w = (0.5, −0.25), b = 0.1, η = 0.1. Then out = w1 + 2·w2 + b, δ = out − 1,
 * ∂E/∂w = (δ, 2δ), ∂E/∂b = δ. Every expected number below is written out from the formulas.
 */
const TINY: Pick<RunConfig, 'network' | 'loss' | 'samples' | 'weights' | 'biases'> = {
  network: { layers: [2, 1], activations: ['linear'], bias: 'trained' },
  loss: 'half-sse',
  samples: [{ inputs: [1, 2], targets: [1] }],
  weights: [0.5, -0.25],
  biases: [0.1],
}

/**
 * [w1, w2, b] after step 1 and after step 2, as the engine's trainer records them (rows 2 and 3 of
 * its table hold the parameters at the start of epochs 2 and 3).
 */
function twoSteps(opt: Optimizer, reg: Regularization): number[][] {
  const run = train({ ...TINY, test: [], learningRate: 0.1, batchSize: 0, shuffleSeed: 0, optimizer: opt, regularization: reg, epochs: 3, stopBelow: 0 })
  const cols = ['w1', 'w2', 'b1'].map((n) => run.layout.names.indexOf(n))
  return [1, 2].map((row) => cols.map((c) => run.table.get(row, c)))
}

/** The gradient (∂E/∂w1, ∂E/∂w2, ∂E/∂b) of the tiny net at [w1, w2, b]. */
const tinyGrad = ([w1, w2, b]: number[]): number[] => {
  const delta = w1 * 1 + w2 * 2 + b - 1
  return [delta * 1, delta * 2, delta]
}

describe('the first two steps on a tiny net, by hand', () => {
  const expectSteps = (got: number[][], want: number[][]): void => {
    expect(worst(got[0], want[0])).toBeLessThanOrEqual(1e-12)
    expect(worst(got[1], want[1])).toBeLessThanOrEqual(1e-12)
  }
  // Step 1 is at w = (0.5, −0.25), b = 0.1: out = 0.5 − 0.5 + 0.1 = 0.1, δ = −0.9, g = (−0.9, −1.8, −0.9).

  it('sgd: θ ← θ − η·g', () => {
    const s1 = [0.5 - 0.1 * -0.9, -0.25 - 0.1 * -1.8, 0.1 - 0.1 * -0.9] // (0.59, −0.07, 0.19)
    expect(s1[0]).toBeCloseTo(0.59, 15)
    // out = 0.59 − 0.14 + 0.19 = 0.64, δ = −0.36
    const s2 = [0.59 - 0.1 * -0.36, -0.07 - 0.1 * -0.72, 0.19 - 0.1 * -0.36]
    expectSteps(twoSteps(optimizerOf('sgd'), NO_REGULARIZATION), [s1, s2])
  })

  it('momentum (μ = 0.9): v ← μ·v + g; θ ← θ − η·v', () => {
    const v1 = [-0.9, -1.8, -0.9] // 0.9·0 + g
    const s1 = [0.5 - 0.1 * v1[0], -0.25 - 0.1 * v1[1], 0.1 - 0.1 * v1[2]]
    const g2 = [-0.36, -0.72, -0.36] // out = 0.64 as for sgd
    const v2 = [0.9 * -0.9 + -0.36, 0.9 * -1.8 + -0.72, 0.9 * -0.9 + -0.36] // (−1.17, −2.34, −1.17)
    const s2 = [0.59 - 0.1 * v2[0], -0.07 - 0.1 * v2[1], 0.19 - 0.1 * v2[2]] // (0.707, 0.164, 0.307)
    expect(g2).toEqual(tinyGrad(s1).map((x) => +x.toFixed(12)))
    expectSteps(twoSteps(optimizerOf('momentum'), NO_REGULARIZATION), [s1, s2])
  })

  it('nesterov (μ = 0.9): v ← μ·v + g; θ ← θ − η·(g + μ·v)', () => {
    // v = g; θ − 0.1·(g + 0.9·g)
    const s1 = [0.5 - 0.1 * (-0.9 + 0.9 * -0.9), -0.25 - 0.1 * (-1.8 + 0.9 * -1.8), 0.1 - 0.1 * (-0.9 + 0.9 * -0.9)] // (0.671, 0.092, 0.271)
    // out = 0.671 + 0.184 + 0.271 = 1.126, δ = 0.126
    const g2 = [0.126, 0.252, 0.126]
    const v2 = [0.9 * -0.9 + 0.126, 0.9 * -1.8 + 0.252, 0.9 * -0.9 + 0.126] // (−0.684, −1.368, −0.684)
    const s2 = [0.671 - 0.1 * (0.126 + 0.9 * v2[0]), 0.092 - 0.1 * (0.252 + 0.9 * v2[1]), 0.271 - 0.1 * (0.126 + 0.9 * v2[2])]
    expect(tinyGrad(s1)[0]).toBeCloseTo(g2[0], 14)
    expectSteps(twoSteps(optimizerOf('nesterov'), NO_REGULARIZATION), [s1, s2])
  })

  it('rmsprop (ρ = 0.99, ε = 1e-8): s ← ρ·s + (1 − ρ)·g²; θ ← θ − η·g / (√s + ε)', () => {
    const sq1 = [0.01 * 0.81, 0.01 * 3.24, 0.01 * 0.81] // √ = (0.09, 0.18, 0.09)
    const s1 = [0.5 + (0.1 * 0.9) / (0.09 + 1e-8), -0.25 + (0.1 * 1.8) / (0.18 + 1e-8), 0.1 + (0.1 * 0.9) / (0.09 + 1e-8)] // each ≈ +1: (1.5, 0.75, 1.1)
    expect(Math.sqrt(sq1[1])).toBeCloseTo(0.18, 15)
    // out ≈ 1.5 + 1.5 + 1.1 = 4.1, δ ≈ 3.1 (exactly: from s1)
    const d = s1[0] + 2 * s1[1] + s1[2] - 1
    const sq2 = [0.99 * 0.0081 + 0.01 * d * d, 0.99 * 0.0324 + 0.01 * (2 * d) * (2 * d), 0.99 * 0.0081 + 0.01 * d * d]
    const s2 = [s1[0] - (0.1 * d) / (Math.sqrt(sq2[0]) + 1e-8), s1[1] - (0.1 * 2 * d) / (Math.sqrt(sq2[1]) + 1e-8), s1[2] - (0.1 * d) / (Math.sqrt(sq2[2]) + 1e-8)]
    expectSteps(twoSteps(optimizerOf('rmsprop'), NO_REGULARIZATION), [s1, s2])
  })

  it('adam (β1 = 0.9, β2 = 0.999, ε = 1e-8): the first step moves every parameter by η·ĝ/(|ĝ| + ε) ≈ η', () => {
    // m = 0.1·g, v = 0.001·g²; m̂ = m/0.1 = g, v̂ = v/0.001 = g²: θ − 0.1·g/(|g| + 1e-8)
    const s1 = [0.5 + (0.1 * 0.9) / (0.9 + 1e-8), -0.25 + (0.1 * 1.8) / (1.8 + 1e-8), 0.1 + (0.1 * 0.9) / (0.9 + 1e-8)] // ≈ (0.6, −0.15, 0.2)
    const d = s1[0] + 2 * s1[1] + s1[2] - 1 // ≈ −0.5
    const g2 = [d, 2 * d, d]
    const m2 = [0.9 * (0.1 * -0.9) + 0.1 * g2[0], 0.9 * (0.1 * -1.8) + 0.1 * g2[1], 0.9 * (0.1 * -0.9) + 0.1 * g2[2]]
    const v2 = [0.999 * (0.001 * 0.81) + 0.001 * g2[0] * g2[0], 0.999 * (0.001 * 3.24) + 0.001 * g2[1] * g2[1], 0.999 * (0.001 * 0.81) + 0.001 * g2[2] * g2[2]]
    const c1 = 1 - 0.9 * 0.9 // 1 − β1²
    const c2 = 1 - 0.999 * 0.999
    const s2 = s1.map((x, i) => x - (0.1 * (m2[i] / c1)) / (Math.sqrt(v2[i] / c2) + 1e-8))
    expectSteps(twoSteps(optimizerOf('adam'), NO_REGULARIZATION), [s1, s2])
  })

  it('sgd with L1 (λ = 0.1): λ·sign(w) on the weights, not on the bias', () => {
    // G = (−0.9 + 0.1·1, −1.8 + 0.1·(−1)), bias −0.9
    const s1 = [0.5 - 0.1 * (-0.9 + 0.1), -0.25 - 0.1 * (-1.8 - 0.1), 0.1 - 0.1 * -0.9] // (0.58, −0.06, 0.19)
    // out = 0.58 − 0.12 + 0.19 = 0.65, δ = −0.35; both weights still positive / negative
    const s2 = [0.58 - 0.1 * (-0.35 + 0.1), -0.06 - 0.1 * (-0.7 - 0.1), 0.19 - 0.1 * -0.35]
    expectSteps(twoSteps(optimizerOf('sgd'), { kind: 'l1', rate: 0.1 }), [s1, s2])
  })

  it('sgd with L1: sign(0) = 0 leaves a zero weight to its data gradient', () => {
    const config = { ...TINY, weights: [0, -0.25] }
    const net = new Network(config)
    const w = Float64Array.from(config.weights)
    net.run(w, Float64Array.from(config.biases))
    // out = 0 − 0.5 + 0.1 = −0.4, δ = −1.4: w1 = 0 − 0.1·(−1.4 + 0.1·0)
    OPTIMIZER_DEFS.sgd.step(w, net.gradW, [], 1, 0.1, { kind: 'l1', rate: 0.1 }, optimizerOf('sgd'))
    expect(w[0]).toBeCloseTo(0.14, 15)
  })

  it('sgd with L2 (λ = 0.1): λ·w on the weights, not on the bias', () => {
    const s1 = [0.5 - 0.1 * (-0.9 + 0.1 * 0.5), -0.25 - 0.1 * (-1.8 + 0.1 * -0.25), 0.1 - 0.1 * -0.9] // (0.585, −0.0675, 0.19)
    // out = 0.585 − 0.135 + 0.19 = 0.64, δ = −0.36
    const s2 = [0.585 - 0.1 * (-0.36 + 0.1 * 0.585), -0.0675 - 0.1 * (-0.72 + 0.1 * -0.0675), 0.19 - 0.1 * -0.36]
    expectSteps(twoSteps(optimizerOf('sgd'), { kind: 'l2', rate: 0.1 }), [s1, s2])
  })

  it('adam with L2 (λ = 0.1): the regularized gradient goes into both moments', () => {
    const G1 = [-0.9 + 0.1 * 0.5, -1.8 + 0.1 * -0.25, -0.9] // (−0.85, −1.825, −0.9)
    const s1 = [0.5 + (0.1 * 0.85) / (0.85 + 1e-8), -0.25 + (0.1 * 1.825) / (1.825 + 1e-8), 0.1 + (0.1 * 0.9) / (0.9 + 1e-8)]
    const d = s1[0] + 2 * s1[1] + s1[2] - 1
    const G2 = [d + 0.1 * s1[0], 2 * d + 0.1 * s1[1], d]
    const m2 = G1.map((g, i) => 0.9 * (0.1 * g) + 0.1 * G2[i])
    const v2 = G1.map((g, i) => 0.999 * (0.001 * g * g) + 0.001 * G2[i] * G2[i])
    const s2 = s1.map((x, i) => x - (0.1 * (m2[i] / (1 - 0.81))) / (Math.sqrt(v2[i] / (1 - 0.998001)) + 1e-8))
    expectSteps(twoSteps(optimizerOf('adam'), { kind: 'l2', rate: 0.1 }), [s1, s2])
  })

  it('the penalties: λ·Σ|w| and (λ/2)·Σw², of weights only', () => {
    expect(penalty({ kind: 'l1', rate: 0.1 }, [0.5, -0.25])).toBeCloseTo(0.1 * (0.5 + 0.25), 16)
    expect(penalty({ kind: 'l2', rate: 0.1 }, [0.5, -0.25])).toBeCloseTo(0.05 * (0.25 + 0.0625), 16)
    expect(penalty(NO_REGULARIZATION, [0.5, -0.25])).toBe(0)
  })
})

/** Largest difference relative to the largest magnitude: the buffers decay towards 0 as the run converges, where relative error means nothing. */
function scaled(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let [diff, size] = [0, 0]
  for (let i = 0; i < got.length; i++) [diff, size] = [Math.max(diff, Math.abs(got[i] - want[i])), Math.max(size, Math.abs(want[i]))]
  return size === 0 ? diff : diff / size
}

describe('legacy momentum and PyTorch momentum give the same iterates', () => {
  it('v ← μv − ηg; θ ← θ + v  against  v ← μv + g; θ ← θ − ηv, 300 steps on a real network: 1e-12 relative, and v_legacy = −η·v to 1e-12 of the buffer size', () => {
    const config = randomConfig(4242, 'tanh', 'sigmoid', 'half-sse', 'trained')
    const [eta, mu] = [0.3, 0.9]
    const net = new Network(config)
    const legacy = { w: Float64Array.from(config.weights), b: Float64Array.from(config.biases) }
    const torch = { w: Float64Array.from(config.weights), b: Float64Array.from(config.biases) }
    const vl = { w: new Float64Array(legacy.w.length), b: new Float64Array(legacy.b.length) }
    const [sw, sb] = [newState('momentum', torch.w.length), newState('momentum', torch.b.length)]
    const opt = optimizerOf('momentum', { momentum: mu })
    let worstIterate = 0
    let worstBuffer = 0
    for (let t = 1; t <= 300; t++) {
      net.run(legacy.w, legacy.b)
      for (const k of ['w', 'b'] as const) {
        const g = k === 'w' ? net.gradW : net.gradB
        for (let i = 0; i < g.length; i++) legacy[k][i] += vl[k][i] = mu * vl[k][i] - eta * g[i]
      }
      net.run(torch.w, torch.b)
      OPTIMIZER_DEFS.momentum.step(torch.w, net.gradW, sw, t, eta, NO_REGULARIZATION, opt)
      OPTIMIZER_DEFS.momentum.step(torch.b, net.gradB, sb, t, eta, NO_REGULARIZATION, opt)
      worstIterate = Math.max(worstIterate, worst(torch.w, legacy.w), worst(torch.b, legacy.b))
      worstBuffer = Math.max(worstBuffer, scaled(sw[0].map((v) => -eta * v), vl.w), scaled(sb[0].map((v) => -eta * v), vl.b))
    }
    expect(worstIterate).toBeLessThanOrEqual(1e-12)
    expect(worstBuffer).toBeLessThanOrEqual(1e-12)
    // The run moved: the comparison is not of two standing parameter sets.
    expect(worst(torch.w, config.weights)).toBeGreaterThan(1e-2)
  })
})

describe('the step reports divergence', () => {
  it('returns false when a new parameter is not finite, true otherwise', () => {
    for (const kind of OPTIMIZER_KINDS) {
      const p = Float64Array.of(1, 2)
      expect(OPTIMIZER_DEFS[kind].step(p, Float64Array.of(0.5, -0.5), newState(kind, 2), 1, 0.1, NO_REGULARIZATION, optimizerOf(kind))).toBe(true)
      expect(OPTIMIZER_DEFS[kind].step(p, Float64Array.of(0.5, Infinity), newState(kind, 2), 1, 0.1, NO_REGULARIZATION, optimizerOf(kind))).toBe(false)
    }
  })
})

