import { describe, expect, it } from 'vitest'
import { modelOf } from '../../../src/shared/derivation'
import { columnFormula } from '../../../src/shared/column-formula'
import { columnLayout, layoutOf, optimizerOf, train, type Activation } from '../../../src/shared/engine'
import { defaultExperiment, runConfigs, type Experiment } from '../../../src/shared/experiment'
import { FormulaTooLong, MAX_EXPR_TOKENS, cat, columnLetter, compile, join, renderAt, type Expr } from '../../../src/shared/xlsx/expr'
import { columnFormulas } from '../../../src/shared/xlsx/formulas'
import { excelHypers } from '../../../src/shared/math/optimizers'
import { EXCEL_MAX_FORMULA_LENGTH, workbookSpec, type RowSpec } from '../../../src/shared/xlsx/workbook'
import { prepareExport } from '../../../src/shared/export/input'

const text = (e: Experiment): string => JSON.stringify(e)

/** An expression with its cells named by column (the previous row's marked `(prev)`), to read a formula's structure. */
function byName(expr: Expr, names: readonly string[]): string {
  return expr.map((t) => (typeof t === 'string' ? t : names[t.col] + (t.dr === 0 ? '' : '(prev)'))).join('')
}

describe('cell addresses and formula templates', () => {
  it('names columns as spreadsheets do', async () => {
    expect([0, 25, 26, 30, 51, 52, 701, 702, 16383].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AE', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD'])
  })

  it('renders one expression at any row', async () => {
    const expr: Expr = ['1/(1+EXP(-', { col: 8, dr: 0 }, '))*', { col: 27, dr: -1 }, '-', 'eta_1']
    const f = compile(expr)
    expect(renderAt(f, 14)).toBe('1/(1+EXP(-I14))*AB13-eta_1')
    expect(renderAt(f, 1048576)).toBe('1/(1+EXP(-I1048576))*AB1048575-eta_1')
  })
})

describe('expressions', () => {
  it('stop growing past what Excel takes in a formula (every token at least one character)', async () => {
    const big: Expr = new Array(5000).fill('a')
    expect(cat(big, big.slice(0, MAX_EXPR_TOKENS - 5000))).toHaveLength(MAX_EXPR_TOKENS)
    expect(() => cat(big, big)).toThrow(FormulaTooLong)
    expect(() => join([big, big.slice(0, MAX_EXPR_TOKENS - 5000)], '+')).toThrow(FormulaTooLong)
    expect(cat('', 'x', [''], { col: 0, dr: 0 })).toEqual(['x', { col: 0, dr: 0 }])
  })
})

describe('formulas of the sheet network', () => {
  // The original sheet's own formulas (Sheet1, rows 14 and 15), η in $G$11 there.
  const ORIGINAL: Record<string, [number, string]> = {
    I: [14, 'C14*E14 + D14*F14'],
    K: [14, 'C14*G14+D14*H14'],
    Q: [14, 'J14*M14+L14*N14'],
    S: [14, 'J14*O14+L14*P14'],
    U: [14, '1/2*(A14-R14)^2'],
    V: [14, '1/2*(B14-T14)^2'],
    W: [14, 'U14+V14'],
    AB: [14, '(R14-A14) * (R14 * (1-R14))*J14'],
    AC: [14, '(R14-A14) * (R14 * (1-R14))*L14'],
    AD: [14, '(T14-B14) * (T14 * (1-T14))*J14'],
    AE: [14, '(T14-B14) * (T14 * (1-T14))*L14'],
    E: [15, 'E14-$G$11*X14'],
    H: [15, 'H14-$G$11*AA14'],
    M: [15, 'M14 - $G$11*AB14'],
    P: [15, 'P14 - $G$11*AE14'],
  }
  const config = runConfigs(defaultExperiment())[0]
  const layout = columnLayout(config.network, 1)
  const refs = { hyper: excelHypers('$G$11', { momentum: 'mu', lambda: 'lambda' }), input: () => 'x', target: () => 'x', samples: () => 'NA()' }
  const formulas = columnFormulas(config, layout, refs).map((f) => f!)

  it('are the original sheet’s formulas, cell for cell', async () => {
    for (const [letter, [row, original]] of Object.entries(ORIGINAL)) {
      const c = layout.names.findIndex((_, i) => columnLetter(i) === letter)
      const f = row === 14 ? formulas[c].first! : formulas[c].second
      expect(renderAt(compile(f), row), letter).toBe(original.replace(/ /g, ''))
    }
  })

  it('write the hidden-layer gradient out in full, as the sheet does', async () => {
    expect(renderAt(compile(formulas[23].rest), 14)).toBe('(M14*((R14-A14)*(R14*(1-R14)))+O14*((T14-B14)*(T14*(1-T14))))*(J14*(1-J14))*C14')
    expect(byName(formulas[23].rest, layout.names)).toBe('(w5*((out_o1-t1)*(out_o1*(1-out_o1)))+w7*((out_o2-t2)*(out_o2*(1-out_o2))))*(out_h1*(1-out_h1))*i1')
  })

  it('say which column an optimizer with state is missing', async () => {
    const withMomentum = { ...config, optimizer: optimizerOf('momentum', { momentum: 0.9 }) }
    expect(() => columnFormulas(withMomentum, layout, refs)).toThrow('the table has no column v_w1 for the momentum optimizer')
  })

  it('step with momentum along the buffer v, itself μ·v + the gradient of the row before (PyTorch’s form)', async () => {
    const withMomentum = { ...config, optimizer: optimizerOf('momentum', { momentum: 0.9 }) }
    const momentumLayout = layoutOf(withMomentum)
    const all = columnFormulas(withMomentum, momentumLayout, refs)
    const v1 = momentumLayout.names.indexOf('v_w1')
    expect(v1).toBe(momentumLayout.names.length - 8)
    const w1 = all[momentumLayout.names.indexOf('w1')]!
    expect(w1.first).toBeNull()
    expect(renderAt(compile(w1.second), 15)).toBe(`E14-$G$11*${columnLetter(v1)}15`)
    const v = all[v1]!
    expect(v.first).toBeNull()
    expect(renderAt(compile(v.rest), 16)).toBe(`mu*${columnLetter(v1)}15+X15`)
  })
})

describe('workbookSpec', () => {
  it('plans Summary, one sheet per run and Formulas, with η named per sheet', async () => {
    const e = defaultExperiment()
    e.training.learningRates = [0.5, 2, 0.5]
    const spec = workbookSpec(await prepareExport(text(e)))
    expect(spec.sheets.map((s) => s.name)).toEqual(['Summary', 'η = 0.5 (1)', 'η = 2', 'η = 0.5 (3)', 'Formulas'])
    expect(spec.sheets[2].names).toContainEqual({ name: 'eta_2', row: 9, col: 1 })
    expect(spec.runs.every((r) => r.live)).toBe(true)
  })

  it('keeps sheet names within Excel’s 31 characters', async () => {
    const e = defaultExperiment()
    e.training.learningRates = [0.1 + 0.2, 0.1 + 0.2]
    e.training.epochs = 200
    const names = workbookSpec(await prepareExport(text(e)), { maxRows: 30 }).sheets.map((s) => s.name)
    expect(names.slice(1, 3)).toEqual(['η = 0.30000000000000 (1) part 1', 'η = 0.30000000000000 (1) part 2'])
    expect(new Set(names).size).toBe(names.length)
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(31)
  })

  it('falls back to values for too many columns, too many epochs, or a formula longer than Excel allows', async () => {
    const e = defaultExperiment()
    expect(workbookSpec(await prepareExport(text(e)), { liveMaxColumns: 30 }).runs[0].cellsNote).toMatch(/values only: live formulas are written up to 30 columns/)
    // The sheet net's 70 epochs of formulas take a few ten thousand characters.
    expect(workbookSpec(await prepareExport(text(e)), { liveMaxFormulaChars: 10_000 }).runs[0].cellsNote).toMatch(/^values only: the live formulas would take 0\.0\d+ MB \(live formulas are written up to 0\.01 MB\)$/)
    expect(workbookSpec(await prepareExport(text(e)), { liveMaxFormulaChars: 1_000_000 }).runs[0].live).toBe(true)
    expect(workbookSpec(await prepareExport(text(e)), { liveMaxEpochs: 10 }).runs[0].live).toBe(false)
    expect(workbookSpec(await prepareExport(text(e)), { liveMaxEpochs: 10, mode: 'formulas' }).runs[0].live).toBe(true)
    const wide: Experiment = { ...e, network: { layers: [1, 12, 12, 12, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'sigmoid'], bias: 'none' }, samples: [{ inputs: [0.5], targets: [0.1, 0.9] }], init: { seed: 1, scheme: 'xavier' } }
    const run = workbookSpec(await prepareExport(text(wide)), { mode: 'formulas' }).runs[0]
    expect(run.live).toBe(false)
    expect(run.cellsNote).toContain(String(EXCEL_MAX_FORMULA_LENGTH))
  })

  it('names every hyper-parameter of the optimizer, and λ, in row 8, as yellow cells beside their labels', async () => {
    const config = { ...runConfigs(defaultExperiment())[0], optimizer: optimizerOf('adam', { beta2: 0.99 }), regularization: { kind: 'l2' as const, rate: 0.01 } }
    const spec = workbookSpec({ experiment: defaultExperiment(), runs: [train({ ...config, epochs: 3 })] })
    const sheet = spec.sheets[1]
    expect(sheet.names).toEqual([
      { name: 'eta_1', row: 9, col: 1 },
      { name: 'beta1_1', row: 8, col: 3 },
      { name: 'beta2_1', row: 8, col: 5 },
      { name: 'eps_1', row: 8, col: 7 },
      { name: 'lambda_1', row: 8, col: 9 },
    ])
    const row8 = [...sheet.rows()].find((r) => r.r === 8)!.cells.map((c) => c && [c.v, c.s])
    expect(row8).toEqual([['Optimizer', 'label'], ['Adam, L2 on the weights', 'text'], ['β1 =', 'label'], [0.9, 'param'], ['β2 =', 'label'], [0.99, 'param'], ['ε =', 'label'], [1e-8, 'param'], ['λ (L2) =', 'label'], [0.01, 'param']])
    expect(spec.runs[0].live).toBe(true)
  })

  it('writes values only for mini-batches and for more than 1,000 training samples, and says so in the header', async () => {
    const base = { ...runConfigs(defaultExperiment())[0], epochs: 2 }
    const sample = base.samples[0]
    const cases = [
      { config: { ...base, samples: [sample, sample, sample], batchSize: 2 }, note: 'values only: mini-batches of 2' },
      { config: { ...base, samples: Array.from({ length: 1001 }, () => sample) }, note: 'values only: live formulas are written up to 1,000 training samples (this run has 1,001)' },
    ]
    for (const { config, note } of cases) {
      const spec = workbookSpec({ experiment: defaultExperiment(), runs: [train(config)] })
      expect(spec.runs[0].live).toBe(false)
      const rows = [...spec.sheets[1].rows()]
      expect(String(rows.find((r) => r.r === 7)!.cells[1]!.v)).toContain(note)
      expect(rows.every((r) => r.cells.every((c) => !c?.f))).toBe(true)
    }
    // Beyond 10 samples the sums over all of them are inline SUMPRODUCTs, which softmax's MAX over the layer cannot be inside.
    const soft = { ...base, network: { layers: [2, 2, 2], activations: ['relu', 'softmax'] as Activation[], bias: 'none' as const }, samples: Array.from({ length: 12 }, () => ({ inputs: [0.1, 0.2], targets: [0.3, 0.7] })) }
    const softRun = workbookSpec({ experiment: defaultExperiment(), runs: [train(soft)] }).runs[0]
    expect(softRun.live).toBe(false)
    expect(softRun.cellsNote).toMatch(/^values only: summing samples without columns needs formulas that work sample by sample/)
    expect(workbookSpec({ experiment: defaultExperiment(), runs: [train({ ...soft, network: { ...soft.network, activations: ['relu', 'sigmoid'] } })] }).runs[0].live).toBe(true)
    // With few samples a test set's E_test is then the engine's number, the rest live.
    const withTest = workbookSpec({ experiment: defaultExperiment(), runs: [train({ ...soft, samples: soft.samples.slice(0, 1), test: soft.samples.slice(0, 2) })] }).runs[0]
    expect([withTest.live, withTest.cellsNote]).toEqual([true, expect.stringContaining("E_test are the engine's numbers")])
    // A full batch (batch size ≥ the samples) stays live.
    expect(workbookSpec({ experiment: defaultExperiment(), runs: [train({ ...base, batchSize: 1 })] }).runs[0].live).toBe(true)
  })

  it('plans deep networks whose inline backward pass would be enormous: values only, formulas in words, no Excel formulas', async () => {
    const e = defaultExperiment()
    const deep: Experiment = { ...e, network: { layers: [2, 8, 8, 8, 8, 8, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'sigmoid', 'sigmoid', 'sigmoid'], bias: 'trained' }, init: { seed: 1, scheme: 'xavier' }, training: { ...e.training, epochs: 3 } }
    const spec = workbookSpec(await prepareExport(text(deep)), { mode: 'formulas' })
    expect(spec.runs[0].live).toBe(false)
    expect(spec.runs[0].cellsNote).toContain(String(EXCEL_MAX_FORMULA_LENGTH))
    const formulas = spec.sheets.at(-1)!
    const rows = [...formulas.rows()]
    expect(rows.some((r) => String(r.cells[0]?.v).includes('would be longer than Excel'))).toBe(true)
    const layout = spec.runs[0].layout
    const w1 = rows.find((r) => r.cells[1]?.v === '∂E/∂w1')!
    expect(w1.cells[3]?.v).toBe(columnFormula(layout, '∂E/∂w1', modelOf(spec.runs[0].config)))
    expect(w1.cells[4]).toBeNull()
    expect(rows.filter((r) => layout.names.includes(String(r.cells[1]?.v)))).toHaveLength(layout.names.length)
  })

  it('splits a long run across sheets and thins Summary to fit', async () => {
    const e = defaultExperiment()
    e.training.epochs = 1000
    const spec = workbookSpec(await prepareExport(text(e)), { maxRows: 113 })
    expect(spec.sheets.map((s) => s.name).slice(1, -1)).toEqual(Array.from({ length: 10 }, (_, i) => `η = 0.5 part ${i + 1}`))
    expect(spec.runs[0].live).toBe(false)
    const rows = [...spec.sheets[0].rows()]
    expect(rows.length).toBeLessThanOrEqual(113)
    expect(rows[3].cells[0]?.v).toBe(11) // 111 rows for 1,000 epochs: every 10th epoch, 1, 11, 21, …
    // The parts read the trained run's table: part 2 starts at epoch 101 (100 rows a part), in any order.
    const part2 = [...spec.sheets[2].rows()]
    const first = part2.find((r) => r.r === spec.runs[0].headerRow + 1)!
    expect(first.cells.map((c) => c?.v)).toEqual(Array.from(spec.runs[0].table.row(100)))
  })

  it('gives every row of a run sheet in order, header first', async () => {
    const spec = workbookSpec(await prepareExport(text(defaultExperiment())))
    const rows: RowSpec[] = [...spec.sheets[1].rows()]
    expect(rows.map((r) => r.r)).toEqual([...rows.map((r) => r.r)].sort((a, b) => a - b))
    expect(rows.find((r) => r.r === 13)!.cells.map((c) => c?.v)).toEqual(columnLayout(defaultExperiment().network, 1).names)
    expect(rows.at(-1)!.r).toBe(83)
  })

  it('refuses an invalid experiment with the reason', async () => {
    const e = defaultExperiment()
    e.training.learningRates = []
    await expect(prepareExport(text(e))).rejects.toThrow(/Cannot export: training.learningRates/)
  })
})
