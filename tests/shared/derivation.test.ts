import { describe, expect, it } from 'vitest'
import { derive, modelOf, renderNumeric, renderSymbolic, type Model } from '../../src/shared/derivation'
import { columnFormula } from '../../src/shared/column-formula'
import {
  columnLayout,
  drawParameters,
  train,
  type Activation,
  type BiasMode,
  type Loss,
  type RunConfig,
  layoutOf,
  optimizerOf,
  sheetTraining,
} from '../../src/shared/engine'
import { biasModes, hiddenActivations, outputsFor, randomConfig as randomNetwork } from './random-config'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { appColumnName, loadSheet, relativeError } from './reference'

const sheet = loadSheet()
const SHEET_MODEL: Model = { activations: ['sigmoid', 'sigmoid'], loss: 'half-sse' }
const sheetLayout = columnLayout({ layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' }, 1)

/** The sheet's first row, in the app's column order. */
function sheetRow(r: number): Float64Array {
  const ref = sheet.eta_0_5
  const byName = new Map(ref.columns.map((c) => [appColumnName(c), ref.rows[r][c]]))
  return Float64Array.from(sheetLayout.names, (n) => byName.get(n)!)
}

describe('the chain rule of the sheet', () => {
  it('∂E/∂w5 on the first row: the seed’s formula, the sheet’s numbers, the sheet’s result', () => {
    const d = derive(sheetLayout, SHEET_MODEL, sheetRow(0), { kind: 'w', index: 4 })
    expect(d.target).toBe('∂E/∂w5')
    expect(renderSymbolic(d.expanded!)).toBe('(out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1')
    expect(renderNumeric(d.expanded!)).toBe('(0.606477732206728 − 0.01) · 0.606477732206728 · (1 − 0.606477732206728) · 0.506874566764534')
    expect(relativeError(d.value, sheet.eta_0_5.rows[0]['𝟃E/𝟃w5'])).toBeLessThan(1e-14)
    expect(d.tableValue).toBe(sheet.eta_0_5.rows[0]['𝟃E/𝟃w5'])
  })

  it('∂E/∂w1 on the first row: the sum over both output paths', () => {
    const d = derive(sheetLayout, SHEET_MODEL, sheetRow(0), { kind: 'w', index: 0 })
    expect(renderSymbolic(d.expanded!)).toBe(
      '((out_o1 − t1) · out_o1 · (1 − out_o1) · w5 + (out_o2 − t2) · out_o2 · (1 − out_o2) · w7) · out_h1 · (1 − out_h1) · i1'
    )
    expect(d.steps.map((s) => `${s.name} = ${renderSymbolic(s.formula)}`)).toEqual([
      'δ_o1 = (out_o1 − t1) · out_o1 · (1 − out_o1)',
      'δ_o2 = (out_o2 − t2) · out_o2 · (1 − out_o2)',
      'δ_h1 = (δ_o1 · w5 + δ_o2 · w7) · out_h1 · (1 − out_h1)',
    ])
    expect(renderSymbolic(d.final)).toBe('δ_h1 · i1')
    expect(relativeError(d.value, sheet.eta_0_5.rows[0]['𝟃E/𝟃w1'])).toBeLessThan(1e-13)
  })

  it('every gradient of every row of both sheets, from the engine’s rows, equals the table cell exactly', () => {
    for (const eta of [0.5, 2]) {
      const exp = defaultExperiment()
      exp.training.learningRates = [eta]
      const run = train(runConfigs(exp)[0])
      const table = run.table!
      for (let r = 0; r < table.rowCount; r++)
        for (let w = 0; w < 8; w++) {
          const d = derive(run.layout, SHEET_MODEL, table.row(r), { kind: 'w', index: w })
          expect(d.value).toBe(d.tableValue)
        }
    }
  })
})

// --- Random networks against the engine's recorded gradients -----------------------------------

/** The shared generator, with hidden layers of up to 4 neurons, 3 epochs at η = 0.3. */
const randomConfig = (seed: number, hiddenAct: Activation, outAct: Activation, loss: Loss, bias: BiasMode): RunConfig => ({
  ...randomNetwork(seed, hiddenAct, outAct, loss, bias, 4),
  learningRate: 0.3,
  epochs: 3,
})
const hidden = hiddenActivations

describe('the derivation equals the engine’s gradient for any network', () => {
  let seed = 1
  for (const loss of Object.keys(outputsFor) as Loss[])
    for (const outAct of outputsFor[loss])
      for (const hiddenAct of hidden)
        for (const bias of biasModes) {
          const s = seed++
          it(`${loss}, ${hiddenAct} → ${outAct}, bias ${bias} (seed ${s})`, () => {
            const config = randomConfig(s, hiddenAct, outAct, loss, bias)
            const run = train(config)
            const table = run.table!
            const model: Model = { activations: config.network.activations, loss }
            const { weightCount, neuronCount } = run.layout.shape
            let checked = 0
            for (let r = 0; r < table.rowCount; r++) {
              const row = table.row(r)
              const params = [
                ...Array.from({ length: weightCount }, (_, index) => ({ kind: 'w' as const, index })),
                ...(bias === 'trained' ? Array.from({ length: neuronCount }, (_, index) => ({ kind: 'b' as const, index })) : []),
              ]
              for (const p of params) {
                const d = derive(run.layout, model, row, p)
                const cell = d.tableValue!
                expect(cell, `${d.target} row ${r + 1}`).toBe(row[run.layout.names.indexOf(d.target)])
                expect(Math.abs(d.value - cell), `${d.target} row ${r + 1}: ${d.value} vs ${cell}`).toBeLessThanOrEqual(
                  1e-12 * Math.max(Math.abs(cell), 1e-300)
                )
                checked++
              }
            }
            expect(checked).toBeGreaterThan(0)
          })
        }
})

describe('the derivation’s shape', () => {
  it('a deep net is written in δ steps, one per neuron on the way, and the expansion is dropped when unreadable', () => {
    const network = {
      layers: [16, 16, 16, 16, 16, 16, 4],
      activations: ['tanh', 'tanh', 'tanh', 'tanh', 'tanh', 'sigmoid'] as Activation[],
      bias: 'none' as BiasMode,
    }
    const { weights } = drawParameters(network, { seed: 3, scheme: 'xavier' })
    const config: RunConfig = {
      network,
      loss: 'half-sse',
      weights,
      biases: [],
      learningRate: 0.1,
      ...sheetTraining(),
      epochs: 1,
      stopBelow: 0,
      samples: [{ inputs: Array.from({ length: 16 }, (_, i) => i / 16), targets: [0, 1, 0, 1] }],
    }
    const run = train(config)
    const d = derive(run.layout, { activations: network.activations, loss: 'half-sse' }, run.table!.row(0), { kind: 'w', index: 0 })
    expect(d.expanded).toBeNull()
    // 4 output δ, 16 in each of layers 5..2, and the one δ of neuron h1_1.
    expect(d.steps).toHaveLength(4 + 16 * 4 + 1)
    expect(d.steps.at(-1)!.name).toBe('δ_h1_1')
    expect(renderSymbolic(d.final)).toBe('δ_h1_1 · i1')
    expect(d.value).toBe(d.tableValue)
  })

  it('several samples: the gradient is the mean of the per-sample products', () => {
    const exp = defaultExperiment()
    exp.samples.push({ inputs: [0.3, -0.2], targets: [0.5, 0.5] })
    const run = train(runConfigs(exp)[0])
    const d = derive(run.layout, SHEET_MODEL, run.table!.row(0), { kind: 'w', index: 4 })
    expect(renderSymbolic(d.final)).toBe('(δ_o1_s1 · out_h1_s1 + δ_o1_s2 · out_h1_s2) / 2')
    expect(renderSymbolic(d.expanded!)).toBe(
      '((out_o1_s1 − t1_s1) · out_o1_s1 · (1 − out_o1_s1) · out_h1_s1 + (out_o1_s2 − t1_s2) · out_o1_s2 · (1 − out_o1_s2) · out_h1_s2) / 2'
    )
    expect(d.value).toBe(d.tableValue)
  })

  it('a bias: ∂E/∂b is its neuron’s δ; a fixed bias has no gradient column', () => {
    const exp = defaultExperiment()
    exp.network.bias = 'trained'
    exp.init = { weights: [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], biases: [0.35, 0.35, 0.6, 0.6] }
    const run = train(runConfigs(exp)[0])
    const d = derive(run.layout, SHEET_MODEL, run.table!.row(2), { kind: 'b', index: 2 })
    expect(renderSymbolic(d.final)).toBe('δ_o1')
    expect(d.value).toBe(d.tableValue)
    exp.network.bias = 'fixed'
    const fixed = train(runConfigs(exp)[0])
    expect(derive(fixed.layout, SHEET_MODEL, fixed.table!.row(0), { kind: 'b', index: 0 }).tableValue).toBeNull()
    expect(() => derive(sheetLayout, SHEET_MODEL, sheetRow(0), { kind: 'b', index: 0 })).toThrow(/no biases/)
    expect(() => derive(sheetLayout, SHEET_MODEL, sheetRow(0), { kind: 'w', index: 8 })).toThrow(/no parameter w9/)
  })

  it('negative numbers are bracketed so the numeric line reads unambiguously', () => {
    const d = derive(sheetLayout, SHEET_MODEL, sheetRow(0), { kind: 'w', index: 6 })
    expect(renderNumeric(d.final)).toMatch(/^\(-0\.08375888\d+\) · 0\.506874566764534$/)
  })
})

describe('column formulas', () => {
  it('name what every column of the sheet computes', () => {
    const f = (name: string): string => columnFormula(sheetLayout, name, SHEET_MODEL)
    expect(f('h1')).toBe('h1 = w1·i1 + w2·i2')
    expect(f('o2')).toBe('o2 = w7·out_h1 + w8·out_h2')
    expect(f('out_h1')).toBe('out_h1 = 1/(1 + e^(−h1))')
    expect(f('E1')).toBe('E1 = ½(t1 − out_o1)²')
    expect(f('E_tot')).toBe('E_tot = E1 + E2')
    expect(f('∂E/∂w5')).toBe('∂E/∂w5 = (out_o1 − t1) · out_o1 · (1 − out_o1) · out_h1')
    expect(f('∂E/∂w4')).toBe(
      '∂E/∂w4 = ((out_o1 − t1) · out_o1 · (1 − out_o1) · w6 + (out_o2 − t2) · out_o2 · (1 − out_o2) · w8) · out_h2 · (1 − out_h2) · i2'
    )
    expect(f('w7')).toBe('w7: weight h1 → o2; next epoch w7 − η · ∂E/∂w7')
    expect(columnFormula(sheetLayout, 9)).toBe('out_h1 = f(h1)')
  })

  it('cover every column of any layout, with biases and samples', () => {
    const network = { layers: [3, 4, 2, 2], activations: ['relu', 'tanh', 'softmax'] as Activation[], bias: 'trained' as BiasMode }
    const layout = columnLayout(network, 2)
    const model: Model = { activations: network.activations, loss: 'softmax-ce' }
    const texts = layout.names.map((_, c) => columnFormula(layout, c, model))
    texts.forEach((t, c) => expect(t.startsWith(layout.names[c]), t).toBe(true))
    expect(columnFormula(layout, 'h1_1_s2', model)).toBe('h1_1_s2 = w1·i1_s2 + w2·i2_s2 + w3·i3_s2 + b1')
    expect(columnFormula(layout, 'out_o1_s1', model)).toBe('out_o1_s1 = e^o1_s1 / (e^o1_s1 + e^o2_s1)')
    expect(columnFormula(layout, 'E2_s2', model)).toBe('E2_s2 = −t2_s2·ln(out_o2_s2)')
    expect(columnFormula(layout, 'E_tot', model)).toBe('E_tot = (E1_s1 + E2_s1 + E1_s2 + E2_s2) / 2')
    expect(() => columnFormula(layout, 'nope')).toThrow()
  })

  it('give every weight’s gradient as its own derivation says it, on any network (one derivation per neuron, reused)', () => {
    const cases: [number[], Activation[], Loss, BiasMode, number][] = [
      [[3, 4, 4, 2], ['tanh', 'tanh', 'sigmoid'], 'half-sse', 'trained', 2],
      [[2, 3, 3], ['relu', 'softmax'], 'softmax-ce', 'fixed', 3],
      [[2, 5, 3, 1], ['leaky-relu', 'linear', 'sigmoid'], 'bce', 'none', 2],
      [[4, 3, 3, 3, 2], ['sigmoid', 'tanh', 'relu', 'softmax'], 'mse', 'trained', 1],
    ]
    let checked = 0
    for (const [layers, activations, loss, bias, samples] of cases) {
      const layout = columnLayout({ layers, activations, bias }, samples)
      const model: Model = { activations, loss }
      // Last weight first, so the reused derivation is not simply the one just asked for.
      for (const [c, col] of [...layout.columns.entries()].reverse()) {
        if (col.kind !== 'gradW') continue
        const d = derive(layout, model, new Float64Array(layout.names.length), { kind: 'w', index: col.index })
        expect(columnFormula(layout, c, model)).toBe(`${d.target} = ${renderSymbolic(d.expanded ?? d.final)}`)
        checked++
      }
    }
    expect(checked).toBe(36 + 15 + 28 + 36) // every weight of the four networks
  })

  it('follow the model: every activation and loss, momentum, trained and fixed biases', () => {
    const net = (activations: Activation[], bias: BiasMode = 'none') => columnLayout({ layers: [2, 2, 2], activations, bias }, 1)
    const out = (act: Activation): string => columnFormula(net([act, 'sigmoid']), 'out_h1', { activations: [act, 'sigmoid'], loss: 'half-sse' })
    expect(['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softplus', 'linear'].map((a) => out(a as Activation))).toEqual([
      'out_h1 = 1/(1 + e^(−h1))',
      'out_h1 = tanh(h1)',
      'out_h1 = max(0, h1)',
      'out_h1 = max(0.01·h1, h1)',
      'out_h1 = ln(1 + e^h1)',
      'out_h1 = h1',
    ])
    // The chain rule through softplus: its derivative is σ(net), named and valued.
    const soft = net(['softplus', 'sigmoid'])
    expect(columnFormula(soft, '∂E/∂w1', { activations: ['softplus', 'sigmoid'], loss: 'half-sse' })).toBe(
      '∂E/∂w1 = ((out_o1 − t1) · out_o1 · (1 − out_o1) · w5 + (out_o2 − t2) · out_o2 · (1 − out_o2) · w7) · σ(h1) · i1'
    )
    const e1 = (loss: Loss): string => columnFormula(sheetLayout, 'E1', { ...SHEET_MODEL, loss })
    expect(e1('mse')).toBe('E1 = (t1 − out_o1)² / 2')
    expect(e1('bce')).toBe('E1 = −[t1·ln(out_o1) + (1 − t1)·ln(1 − out_o1)]')
    // The model of a run, momentum included: the weight's step is the engine's.
    const config = runConfigs({ ...defaultExperiment(), training: { ...defaultExperiment().training, optimizer: optimizerOf('momentum', { momentum: 0.9 }) } })[0]
    expect(modelOf(config)).toEqual({
      activations: ['sigmoid', 'sigmoid'],
      loss: 'half-sse',
      optimizer: optimizerOf('momentum', { momentum: 0.9 }),
      regularization: { kind: 'none', rate: 0 },
      batches: false,
    })
    expect(columnFormula(sheetLayout, 'w7', modelOf(config))).toBe('w7: weight h1 → o2; next epoch w7 − η · v_w7, v_w7 ← μ · v_w7 + ∂E/∂w7')
    const momentumLayout = layoutOf(config)
    expect(columnFormula(momentumLayout, 'v_w7', modelOf(config))).toBe('v_w7 = μ · v_w7 + ∂E/∂w7 of the epoch before; 0 in the first row')
    // Regularization joins the weight's step, never a bias's; mini-batches step once per batch.
    const l2 = { ...modelOf(config), optimizer: optimizerOf('sgd'), regularization: { kind: 'l2' as const, rate: 0.01 }, batches: true }
    expect(columnFormula(sheetLayout, 'w1', l2)).toBe('w1: weight i1 → h1; next epoch w1 − η · (∂E/∂w1 + λ·w1) — once per mini-batch, g of the batch')
    const trained = net(['sigmoid', 'sigmoid'], 'trained')
    expect(columnFormula(trained, 'b3', SHEET_MODEL)).toBe('b3: bias of o1; next epoch b3 − η · ∂E/∂b3')
    // A bias's gradient is its neuron's δ, written without a redundant outer bracket.
    expect(columnFormula(trained, '∂E/∂b3', SHEET_MODEL)).toBe('∂E/∂b3 = (out_o1 − t1) · out_o1 · (1 − out_o1)')
    expect(columnFormula(net(['sigmoid', 'sigmoid'], 'fixed'), 'b3', SHEET_MODEL)).toBe('b3: bias of o1 (fixed)')
  })
})

describe('more training samples than the table shows', () => {
  it('derives training sample 1’s term, says over how many samples the table’s gradient is a mean, and words the columns so', () => {
    const base = runConfigs(defaultExperiment())[0]
    const samples = Array.from({ length: 12 }, (_, s) => ({ inputs: [0.05 * s, 0.1], targets: [0.01, 0.99] }))
    const many = train({ ...base, samples, epochs: 2 })
    const first = train({ ...base, samples: [samples[0]], epochs: 1 })
    const d = derive(many.layout, modelOf(many.config), many.table.row(0), { kind: 'w', index: 4 })
    expect(d.unshownSamples).toBe(12)
    expect(d.value).toBe(first.table.get(0, first.layout.names.indexOf('∂E/∂w5')))
    expect(d.tableValue).toBe(many.table.get(0, many.layout.names.indexOf('∂E/∂w5')))
    expect(d.tableValue).not.toBe(d.value)
    expect(columnFormula(many.layout, 'E_tot')).toBe('E_tot = mean over the 12 training samples of their ΣE_k (the table shows sample 1: E1 + E2)')
    expect(columnFormula(many.layout, '∂E/∂w5', modelOf(many.config))).toMatch(/; this is sample 1’s term: the column is the mean over all 12 training samples$/)
    expect(derive(train(base).layout, SHEET_MODEL, train(base).table.row(0), { kind: 'w', index: 4 }).unshownSamples).toBe(0)
  })
})
