import { describe, expect, it } from 'vitest'
import { derive, renderNumeric } from '../../src/shared/derivation'
import { train } from '../../src/shared/engine/trainer'
import { ACTIVATIONS, LOSSES, optimizerOf, type Activation, type Loss } from '../../src/shared/engine/types'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'
import { chainTexPieces, equalsTex, formulaPieces, formulaTex, mathml, matrixTex, nameTex, numberTex } from '../../src/renderer/src/math/tex'
import { walkSteps } from '../../src/shared/walkthrough/steps'
import { OPTIMIZER_DEFS } from '../../src/shared/math/optimizers'
import { matrixSteps } from '../../src/shared/walkthrough/matrix'
import { formatNumber } from '../../src/renderer/src/format'

/** Two epochs of a network with trained biases, one-hot targets and seeded weights. */
function trainedRun(layers: number[], hidden: Activation, output: Activation, loss: Loss, samples: number, momentum = 0) {
  const exp = defaultExperiment()
  exp.network = { layers, activations: [...layers.slice(2).map(() => hidden), output], bias: 'trained' }
  exp.loss = loss
  exp.samples = Array.from({ length: samples }, (_, s) => ({
    inputs: layers[0] === 2 ? [0.05 * (s + 1), -0.1] : Array(layers[0]).fill(0.1),
    targets: Array.from({ length: layers.at(-1)! }, (_, k) => (k === s % layers.at(-1)! ? 1 : 0)),
  }))
  exp.init = { seed: 7, scheme: 'xavier' } as typeof exp.init
  exp.training.epochs = 2
  exp.training.optimizer = momentum ? optimizerOf('momentum', { momentum }) : optimizerOf('sgd')
  return train(runConfigs(exp)[0])
}

/** Each is MathML that typeset cleanly: a parse error would show as red source text, a style attribute would be refused by the CSP. */
function expectValidMathml(htmls: string[]): number {
  for (const html of htmls) {
    expect(html.startsWith('<math>'), html).toBe(true)
    expect(html).not.toMatch(/merror|\sstyle=|class="tml-error"|temml-error/)
  }
  return htmls.length
}

/** Every formula of every derivation of a network, typeset both ways. */
function typesetAll(layers: number[], hidden: Activation, output: Activation, loss: Loss, samples: number): string[] {
  const run = trainedRun(layers, hidden, output, loss, samples)
  const out: string[] = []
  const { weightCount, neuronCount } = run.layout.shape
  const params = [
    ...Array.from({ length: weightCount }, (_, index) => ({ kind: 'w' as const, index })),
    ...Array.from({ length: neuronCount }, (_, index) => ({ kind: 'b' as const, index })),
  ]
  for (const p of params) {
    const d = derive(run.layout, { activations: run.config.network.activations, loss }, run.table!.row(1), p)
    out.push(...chainTexPieces(d.chain).map(mathml))
    for (const f of [d.final, d.expanded ?? [], ...d.steps.map((s) => s.formula)])
      for (const piece of formulaPieces(f)) {
        out.push(mathml(formulaTex(piece)))
        out.push(mathml(formulaTex(piece, (x) => formatNumber(x, 4))))
      }
    for (const s of d.steps) out.push(mathml(nameTex(s.name)))
  }
  return out
}

describe('formulas as MathML (Temml)', () => {
  it('every activation and loss, several samples, three layers: valid MathML with no style attribute', () => {
    const hiddenActs = ACTIVATIONS.filter((a) => a !== 'softmax')
    const combos: [Activation, Activation, Loss][] = []
    for (const loss of LOSSES)
      for (const hidden of hiddenActs) {
        const outputs: Activation[] = loss === 'bce' ? ['sigmoid'] : loss === 'softmax-ce' ? ['softmax'] : [hidden, 'softmax']
        for (const output of outputs) combos.push([hidden, output, loss])
      }
    // Every combination on 2-2-2 with two samples; one deeper, wider net for the hidden-to-hidden δ.
    const nets = combos.map(([hidden, output, loss]) => typesetAll([2, 2, 2], hidden, output, loss, 2))
    nets.push(typesetAll([2, 3, 2, 2], 'tanh', 'sigmoid', 'half-sse', 1))
    expect(expectValidMathml(nets.flat())).toBeGreaterThan(2000)
  })

  it('names read as mathematics: subscripts, samples as superscripts, ∂ fractions', () => {
    expect(nameTex('δ_h2_3_s2')).toBe('{\\delta_{h2{,}3}^{(2)}}')
    expect(nameTex('out_o1')).toBe('{\\mathrm{out}_{o1}}')
    expect(
      chainTexPieces('∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂o1 · ∂o1/∂w5 = δ_o1 · ∂o1/∂w5')
        .map(mathml)
        .join('')
        .match(/<mfrac>/g)
    ).toHaveLength(5)
    expect(numberTex('1.5e-7')).toBe('1.5 \\times 10^{-7}')
    expect(numberTex('')).toBe('\\mathrm{NaN}')
  })

  it('a formula is cut only after top-level operators, and the pieces say the same as the whole', () => {
    const f = [
      '(',
      { name: 'out_o1', value: 0.75 },
      ' − ',
      { name: 't1', value: 0.01 },
      ') · ',
      { name: 'out_h1', value: -0.5 },
      ' + ',
      { name: 'w5', value: 0.4 },
    ]
    const pieces = formulaPieces(f)
    expect(pieces.map((p) => renderNumeric(p))).toEqual(['(0.75 − 0.01) ·', ' (-0.5) +', ' 0.4'])
    expect(renderNumeric(pieces.flat())).toBe(renderNumeric(f))
  })
})

describe('the walk-through’s formulas as MathML', () => {
  /** Every step of an epoch of this network, typeset as the drawer does: names, then numbers. */
  function walkTypeset(layers: number[], hidden: Activation, output: Activation, loss: Loss, samples: number, momentum: number): string[] {
    const run = trainedRun(layers, hidden, output, loss, samples, momentum)
    const steps = walkSteps({ config: run.config, layout: run.layout, row: run.table!.row(1), previous: run.table!.row(0) })
    const fmt = (x: number): string => formatNumber(x, 6)
    return steps.flatMap((s) => {
      const rel = s.relation === '←' ? '\\leftarrow' : '='
      return [
        `${nameTex(s.target)} ${rel}`,
        ...formulaPieces(s.expr).map((p) => formulaTex(p)),
        ...formulaPieces(s.expr).map((p) => formulaTex(p, fmt)),
        equalsTex(s.value, fmt),
      ].map(mathml)
    })
  }

  it('every step of every activation, loss, bias mode, momentum and several samples: valid MathML, no style attribute', () => {
    const nets = [
      walkTypeset([2, 2, 2], 'sigmoid', 'sigmoid', 'half-sse', 1, 0),
      walkTypeset([2, 3, 2], 'tanh', 'linear', 'mse', 2, 0.5),
      walkTypeset([3, 2, 2, 2], 'relu', 'sigmoid', 'bce', 1, 0),
      walkTypeset([2, 2, 3], 'leaky-relu', 'softmax', 'softmax-ce', 3, 0.9),
      walkTypeset([2, 2, 1], 'softplus', 'sigmoid', 'bce', 2, 0),
    ]
    expect(expectValidMathml(nets.flat())).toBeGreaterThan(500)
  })

  it('an optimizer beyond the sheet’s (adam, rmsprop with l1, mini-batches) typesets its update w ← w − η·Δw', () => {
    const run = trainedRun([2, 3, 2], 'tanh', 'sigmoid', 'half-sse', 4)
    const configs = [
      { ...run.config, optimizer: optimizerOf('adam') },
      { ...run.config, optimizer: optimizerOf('rmsprop'), regularization: { kind: 'l1' as const, rate: 0.01 } },
      { ...run.config, batchSize: 2 },
    ]
    for (const config of configs) {
      const t = train(config)
      const steps = walkSteps({ config, layout: t.layout, row: t.table!.row(0), next: t.table!.row(1) }).filter((s) => s.phase === 'update')
      expect(steps.length).toBe(run.config.weights.length + run.config.biases.length)
      const html = steps.flatMap((s) => [...formulaPieces(s.expr).map((p) => formulaTex(p)), ...formulaPieces(s.expr).map((p) => formulaTex(p, String))].map(mathml))
      expect(expectValidMathml(html)).toBe(html.length)
      expect(html.join('')).toMatch(/Δ/)
    }
  })

  it('the walk-through’s names and operators read as mathematics', () => {
    expect(nameTex('E_tot')).toBe('{E_{\\mathrm{tot}}}')
    expect(nameTex('E2_s3')).toBe('{E_{2}^{(3)}}')
    expect(mathml(nameTex('∂E/∂w5'))).toContain('<mfrac>')
    expect(nameTex('η')).toBe('\\eta')
    expect(nameTex('w3_prev')).toBe('{{w_{3}}^{\\mathrm{prev}}}')
    const update = mathml(formulaTex([{ name: 'w1', value: 0.15 }, ' − ', { name: 'η', value: 0.5 }, '·', { name: '∂E/∂w1', value: 0.1 }]))
    expect(update).toContain('η')
    // ½, ln, tanh and ReLU: upright function names and a fraction, not italic letters.
    const loss = mathml(formulaTex(['½·(', { name: 't1', value: 1 }, ' − ', { name: 'out_o1', value: 0.5 }, ')²']))
    expect(loss).toContain('<mfrac>')
    expect(mathml(formulaTex(['−', { name: 't1', value: 1 }, '·ln ', { name: 'out_o1', value: 0.5 }]))).toContain('<mi>ln</mi>')
    expect(mathml(formulaTex(['leaky ReLU(', { name: 'h1', value: 1 }, ')']))).toMatch(/<mi>leaky\sReLU<\/mi>/)
    expect(equalsTex(-0.25, String)).toBe('= -0.25')
  })

  it('the matrix view: each operation, its shapes and its matrices’ names typeset, superscripts as layers', () => {
    const run = trainedRun([2, 3, 2, 2], 'tanh', 'sigmoid', 'half-sse', 1)
    const texts = matrixSteps(run.config, run.layout, run.table!.row(0)).flatMap((m) => [m.formula, m.shapes, ...m.matrices.map((x) => `${x.name} =`)])
    expect(texts).toContain('W³′ =')
    expectValidMathml(texts.map((t) => mathml(matrixTex(t))))
    expect(matrixTex('δ¹ = (W²)ᵀ·δ² ⊙ f′(z¹)')).toBe("\\delta ^{1} = (W^{2})^{\\top} \\cdot \\delta ^{2}  \\odot  f'(z^{1})")
    expect(mathml(matrixTex('∂E/∂W² = δ²·(a¹)ᵀ'))).toContain('<mfrac>')
  })

  it('every optimizer’s update (shown where the walk stops before it) typesets without a style attribute, Adam’s accents too', () => {
    const lines = Object.values(OPTIMIZER_DEFS).flatMap((d) => d.tex.map(mathml))
    expect(expectValidMathml(lines)).toBe(10)
    expect(lines.join('')).toContain('ˆ')
  })
})
