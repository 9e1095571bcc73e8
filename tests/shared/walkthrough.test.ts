import { describe, expect, it } from 'vitest'
import { train } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { optimizerOf, type RunConfig } from '../../src/shared/engine/types'
import { groupSteps, stepsBehind, walkProblem, walkSteps, WALK_MAX_PARAMS } from '../../src/shared/walkthrough/steps'
import { derive, deriveAll, modelOf, renderNumeric } from '../../src/shared/derivation'
import { matrixIndexOf, matrixSteps } from '../../src/shared/walkthrough/matrix'

function epoch(config: RunConfig, e: number) {
  const run = train({ ...config, epochs: e + 2 }, { record: true })
  const table = run.table!
  return { layout: run.layout, row: table.row(e), next: table.row(e + 1), previous: e ? table.row(e - 1) : null, names: run.layout.names }
}

const sheet = (): RunConfig => runConfigs(defaultExperiment())[0]

describe('walk through an epoch', () => {
  it('the sheet’s first epoch in the order a person computes it, with that epoch’s numbers', () => {
    const config = sheet()
    const { layout, row } = epoch(config, 0)
    const steps = walkSteps({ config, layout, row })
    expect(steps.map((s) => s.id)).toEqual([
      'h1', 'out_h1', 'h2', 'out_h2', 'o1', 'out_o1', 'o2', 'out_o2', 'E1', 'E2', 'E_tot',
      'δ_o1', '∂E/∂w5', '∂E/∂w6', 'δ_o2', '∂E/∂w7', '∂E/∂w8', 'δ_h1', '∂E/∂w1', '∂E/∂w2', 'δ_h2', '∂E/∂w3', '∂E/∂w4',
      'w1′', 'w2′', 'w3′', 'w4′', 'w5′', 'w6′', 'w7′', 'w8′',
    ])
    expect(steps[0].formula).toBe('h1 = w1·i1 + w2·i2')
    expect(steps[0].numbers).toMatch(/^h1 = 0\.15·0\.05 \+ 0\.2·0\.1 = 0\.0275/)
    expect(steps[0]).toMatchObject({ neurons: ['i1', 'i2', 'h1'], weights: [0, 1], column: 'h1' })
    expect(steps.find((s) => s.id === 'w1′')!.formula).toBe('w1 ← w1 − η·∂E/∂w1')
    expect(steps.find((s) => s.id === 'w1′')!.numbers).toMatch(/^w1 ← 0\.15 − 0\.5·0\.000188255666940/)
    // "How is ∂E/∂w5 computed?": the gradient and every step it rests on.
    const behind = stepsBehind(steps, '∂E/∂w5').map((i) => steps[i].id)
    expect(behind).toEqual(['h1', 'out_h1', 'h2', 'out_h2', 'o1', 'out_o1', 'δ_o1', '∂E/∂w5'])
  })

  it.each<[string, Partial<RunConfig>]>([
    ['the sheet', {}],
    ['tanh, trained biases, momentum', { network: { layers: [2, 3, 2], activations: ['tanh', 'sigmoid'], bias: 'trained' }, optimizer: optimizerOf('momentum', { momentum: 0.5 }), biases: [0.1, -0.2, 0.3, 0.05, -0.05] }],
    ['two hidden layers, relu, mse, two samples', { network: { layers: [2, 3, 2, 2], activations: ['relu', 'leaky-relu', 'linear'], bias: 'fixed' }, loss: 'mse', biases: [0.1, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3] }],
    ['softmax with cross-entropy', { network: { layers: [2, 2, 3], activations: ['sigmoid', 'softmax'], bias: 'none' }, loss: 'softmax-ce' }],
  ])('every step of %s equals the epoch table’s cell it produces (updates: the next row’s)', (_, change) => {
    const base = sheet()
    const config: RunConfig = { ...base, ...change }
    const L = config.network.layers
    const weights = L.slice(1).reduce((n, k, l) => n + k * L[l], 0)
    config.weights = Array.from({ length: weights }, (_, i) => 0.1 + 0.05 * ((i * 7) % 11) - 0.2)
    if (change.loss === 'mse') config.samples = [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }, { inputs: [0.3, -0.2], targets: [0.5, 0.2] }]
    if (change.loss === 'softmax-ce') config.samples = [{ inputs: [0.05, 0.1], targets: [0, 1, 0] }]
    const { layout, row, next, previous, names } = epoch(config, 1)
    const steps = walkSteps({ config, layout, row, previous })
    let compared = 0
    for (const s of steps) {
      if (!s.column) continue
      const cell = (s.phase === 'update' ? next : row)[names.indexOf(s.column)]
      expect(Math.abs(s.value - cell), s.id).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(cell)))
      compared++
    }
    expect(compared).toBeGreaterThan(names.length / 2)
    // Phases come in the hand order.
    const order = steps.map((s) => ['forward', 'loss', 'backward', 'update'].indexOf(s.phase))
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it.each<[string, Partial<RunConfig>, number]>([
    ['adam', { optimizer: optimizerOf('adam') }, 0],
    ['nesterov with l2', { optimizer: optimizerOf('nesterov', { momentum: 0.7 }), regularization: { kind: 'l2', rate: 0.05 } }, 0],
    ['rmsprop with l1', { optimizer: optimizerOf('rmsprop'), regularization: { kind: 'l1', rate: 0.01 } }, 0],
    ['momentum with l2 (its velocity held as −η·v)', { optimizer: optimizerOf('momentum', { momentum: 0.9 }), regularization: { kind: 'l2', rate: 0.05 } }, 1e-12],
    ['mini-batches of 1', { optimizer: optimizerOf('adam'), batchSize: 1, samples: [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }, { inputs: [0.3, -0.2], targets: [0.5, 0.2] }] }, 0],
  ])('the update with %s gives the next row’s parameters', (_, change, tolerance) => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 2, 2], activations: ['tanh', 'sigmoid'], bias: 'trained' }, biases: [0.1, -0.1, 0.2, 0.3], ...change }
    const { layout, row, next, previous, names } = epoch(config, 2)
    const updates = walkSteps({ config, layout, row, previous, next, epoch: 3 }).filter((s) => s.phase === 'update')
    expect(updates.map((s) => s.column)).toEqual(['w1', 'w2', 'w3', 'w4', 'b1', 'b2', 'w5', 'w6', 'w7', 'w8', 'b3', 'b4'])
    for (const s of updates) {
      const cell = next[names.indexOf(s.column!)]
      expect(Math.abs(s.value - cell), `${s.id}: ${s.numbers}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(cell)))
    }
    expect(updates[0].formula).toMatch(/^w1 ← w1 − η · /)
    // Without the next row (not trained yet), mini-batches cannot say their result.
    if (change.batchSize) expect(walkSteps({ config, layout, row, previous, epoch: 3 }).find((s) => s.id === 'w1′')!.numbers).toBe("w1: the epoch's batches have not been trained yet")
  })

  it.each<[string, Partial<RunConfig>]>([
    ['the sheet', {}],
    ['momentum', { optimizer: optimizerOf('momentum', { momentum: 0.9 }) }],
    ['adam with l2', { optimizer: optimizerOf('adam'), regularization: { kind: 'l2', rate: 0.05 } }],
    ['mini-batches', { batchSize: 1, samples: [{ inputs: [0.05, 0.1], targets: [0.01, 0.99] }, { inputs: [0.3, -0.2], targets: [0.5, 0.2] }] }],
  ])('with %s, a gradient or update step names its parameter (the one its column is of), no other step does', (_, change) => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 2, 2], activations: ['tanh', 'sigmoid'], bias: 'trained' }, biases: [0.1, -0.1, 0.2, 0.3], ...change }
    const { layout, row, next, previous } = epoch(config, 1)
    const steps = walkSteps({ config, layout, row, previous, next, epoch: 2 })
    for (const s of steps) {
      const m = s.column && /^(?:∂E\/∂)?([wb])(\d+)$/.exec(s.column)
      expect(s.param, s.id).toEqual(m ? { kind: m[1], index: Number(m[2]) - 1 } : undefined)
    }
    expect(steps.filter((s) => s.param)).toHaveLength(2 * 12)
  })

  it('above 40 steps, the steps group by layer; each group is one phase of one layer', () => {
    const config: RunConfig = { ...sheet(), network: { layers: [4, 6, 5, 3], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' } }
    config.weights = Array.from({ length: 4 * 6 + 6 * 5 + 5 * 3 }, (_, i) => ((i % 9) - 4) / 20)
    config.biases = Array(14).fill(0.1)
    config.samples = [{ inputs: [0.1, 0.2, 0.3, 0.4], targets: [0.1, 0.5, 0.9] }]
    const { layout, row } = epoch(config, 0)
    const steps = walkSteps({ config, layout, row })
    expect(steps.length).toBeGreaterThan(40)
    const groups = groupSteps(steps)
    expect(groups.map((g) => g.title)).toEqual([
      'Forward, layer 1', 'Forward, layer 2', 'Forward, layer 3', 'Loss',
      'Backward, layer 3', 'Backward, layer 2', 'Backward, layer 1', 'Update, layer 1', 'Update, layer 2', 'Update, layer 3',
    ])
    expect(groups.flatMap((g) => g.steps)).toEqual(steps.map((_, i) => i))
    expect(groupSteps(steps.slice(0, 10))).toHaveLength(10)
  })

  it('the matrix view writes the shapes out and carries the same numbers', () => {
    const config = sheet()
    const { layout, row, next, names } = epoch(config, 0)
    const m = matrixSteps(config, layout, row)
    expect(m.map((s) => [s.formula, s.shapes])).toEqual([
      ['z¹ = W¹·a⁰', '(2×2)·(2×1) = (2×1)'],
      ['a¹ = f(z¹)', '(2×1)'],
      ['z² = W²·a¹', '(2×2)·(2×1) = (2×1)'],
      ['a² = f(z²)', '(2×1)'],
      ['δ² = ∂E/∂a² ⊙ f′(z²)', '(2×1) ⊙ (2×1) = (2×1)'],
      ['δ¹ = (W²)ᵀ·δ² ⊙ f′(z¹)', '(2×2)·(2×1) ⊙ (2×1) = (2×1)'],
      ['∂E/∂W² = δ²·(a¹)ᵀ', '(2×1)·(1×2) = (2×2)'],
      ['∂E/∂W¹ = δ¹·(a⁰)ᵀ', '(2×1)·(1×2) = (2×2)'],
      ['W¹ ← W¹ − η·∂E/∂W¹', '(2×2) − (2×2)'],
      ['W² ← W² − η·∂E/∂W²', '(2×2) − (2×2)'],
    ])
    expect(m[0].matrices[0].rows).toEqual([[0.15, 0.2], [0.25, 0.3]])
    const updated = m[9].matrices[0].rows.flat()
    ;['w5', 'w6', 'w7', 'w8'].forEach((w, i) => expect(Math.abs(updated[i] - next[names.indexOf(w)])).toBeLessThan(1e-15))
    // ∂E/∂W = δ·aᵀ, computed from the δ column and the activations.
    const d2 = m[4].matrices[0].rows.map((r) => r[0])
    const a1 = [row[names.indexOf('out_h1')], row[names.indexOf('out_h2')]]
    expect(Math.abs(m[6].matrices[0].rows[1][0] - d2[1] * a1[0])).toBeLessThan(1e-15)
  })

  it('all gradients at once (deriveAll) are derive()’s, formula and value, for every parameter', () => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 3, 2, 2], activations: ['tanh', 'relu', 'softmax'], bias: 'trained' }, loss: 'softmax-ce' }
    config.weights = Array.from({ length: 6 + 6 + 4 }, (_, i) => ((i % 7) - 3) / 10)
    config.biases = Array(7).fill(0.05)
    config.samples = [{ inputs: [0.05, 0.1], targets: [1, 0] }, { inputs: [0.3, -0.2], targets: [0, 1] }]
    const { layout, row } = epoch(config, 1)
    const params = [...Array.from({ length: 16 }, (_, index) => ({ kind: 'w' as const, index })), ...Array.from({ length: 7 }, (_, index) => ({ kind: 'b' as const, index }))]
    const all = deriveAll(layout, modelOf(config), row, params)
    const byName = new Map(all.steps.map((s) => [s.name, s]))
    params.forEach((p, i) => {
      const one = derive(layout, modelOf(config), row, p)
      expect(all.gradients[i].target).toBe(one.target)
      expect(renderNumeric(all.gradients[i].final)).toBe(renderNumeric(one.final))
      expect(all.gradients[i].value).toBe(one.value)
      for (const st of one.steps) expect(renderNumeric(byName.get(st.name)!.formula), st.name).toBe(renderNumeric(st.formula))
    })
  })

  it('a network past the limit is refused by its parameter count, before any step is built', () => {
    const net = (layers: number[], bias: 'none' | 'trained'): RunConfig => ({ ...sheet(), network: { layers, activations: layers.slice(1).map(() => 'sigmoid' as const), bias } })
    expect(walkProblem(net([64, 64, 64, 10], 'trained'))).toBeNull()
    expect(walkProblem(net([2, 100, 100, 2], 'none'))).toMatch(/^This network trains 10,400 parameters: too many to walk through one by one \(at most 10,000\)/)
    expect(walkProblem(net([2, 97, 97, 2], 'trained'))).toBeNull()
    expect(walkProblem(net([2, 98, 98, 2], 'trained'))).toMatch(/10,194 parameters/)
    expect(WALK_MAX_PARAMS).toBe(10_000)
  })

  it('each step points at the matrix operation it is part of', () => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 3, 2, 2], activations: ['tanh', 'tanh', 'softmax'], bias: 'trained' }, loss: 'softmax-ce' }
    config.weights = Array.from({ length: 16 }, (_, i) => ((i % 5) - 2) / 10)
    config.biases = Array(7).fill(0.1)
    config.samples = [{ inputs: [0.05, 0.1], targets: [1, 0] }]
    const { layout, row } = epoch(config, 0)
    const steps = walkSteps({ config, layout, row })
    const ops = matrixSteps(config, layout, row).map((m) => m.formula)
    const opOf = (id: string): string | null => {
      const i = matrixIndexOf(steps.find((s) => s.id === id)!, 3)
      return i === null ? null : ops[i]
    }
    expect(opOf('h1_2')).toBe('z¹ = W¹·a⁰ + b¹')
    expect(opOf('out_h2_1')).toBe('a² = f(z²)')
    expect(opOf('E1')).toBeNull()
    expect(opOf('δ_o1')).toBe('δ³ = ∂E/∂a³ ⊙ f′(z³)')
    expect(opOf('δ_h1_3')).toBe('δ¹ = (W²)ᵀ·δ² ⊙ f′(z¹)')
    expect(opOf('∂E/∂w9')).toBe('∂E/∂W² = δ²·(a¹)ᵀ')
    expect(opOf('∂E/∂b2')).toBe('∂E/∂W¹ = δ¹·(a⁰)ᵀ')
    expect(opOf('w16′')).toBe('W³ ← W³ − η·∂E/∂W³')
    // Every step but the loss's has one, in range.
    for (const s of steps) expect(s.phase === 'loss' || (matrixIndexOf(s, 3)! >= 0 && matrixIndexOf(s, 3)! < ops.length), s.id).toBe(true)
  })
})
