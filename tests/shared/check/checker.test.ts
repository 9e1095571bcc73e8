import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { checkWorkbook, UnreadableWorkbook, type WorkbookCheck } from '../../../src/shared/check'
import { canonicalName } from '../../../src/shared/check/headers'
import { addTable, CLASSIC, workbookBytes, type Name, type SheetOptions } from './student-sheet'

const check = async (...tables: SheetOptions[]): Promise<WorkbookCheck> => checkWorkbook(await workbookBytes(...tables), 'student.xlsx')
const only = async (o: SheetOptions) => {
  const result = await check(o)
  expect(result.tables).toHaveLength(1)
  return result.tables[0].report
}

describe('spreadsheet checker: the classic layout', () => {
  it.each([0.5, 2])('a correct sheet with η = %s agrees in every cell', async (eta) => {
    const r = await only({ eta, epochs: 30 })
    expect(r).toMatchObject({ sheet: 'Sheet1', headerRow: 30, learningRate: eta, learningRateSource: 'label', rows: 30, firstMismatch: null })
    expect(r.cellsChecked).toBe(30 * 31)
    expect(r.cellsAgreeing).toBe(r.cellsChecked)
  })

  it('reads one table per sheet, as the original workbook holds one per learning rate', async () => {
    const result = await check({ eta: 0.5, sheetName: 'eta 0.5' }, { eta: 2, sheetName: 'eta 2' })
    expect(result.tables.map((t) => [t.report.sheet, t.report.learningRate, t.report.firstMismatch])).toEqual([
      ['eta 0.5', 0.5, null],
      ['eta 2', 2, null],
    ])
  })
})

describe('spreadsheet checker: layout variations', () => {
  it('accepts every spelling the issue lists', () => {
    const spellings: [string, string][] = [
      ['T1', 't1'], ['i₂', 'i2'], ['W 1', 'w1'], ['h1', 'h1'], ['a_h1', 'out_h1'], ['out_h1', 'out_h1'], ['σ(h1)', 'out_h1'], ['act_h1', 'out_h1'],
      ['o1', 'o1'], ['a_o1', 'out_o1'], ['OUT_O2', 'out_o2'], ['E1', 'E1'], ['E_total', 'E_tot'], ['E_tot', 'E_tot'], ['E', 'E_tot'],
      ['Etotal', 'E_tot'], ['E_t', 'E_tot'], ['∂E/∂w1', '∂E/∂w1'], ['dE/dw1', '∂E/∂w1'], ['∂E_total/∂w1', '∂E/∂w1'], ['dE_total/dw1', '∂E/∂w1'],
      ['Etotaldw1', '∂E/∂w1'], ['dE_total / dw1', '∂E/∂w1'], ['δE_tot/δw1', '∂E/∂w1'], ['∂E∂W1', '∂E/∂w1'], ['E∂w1', '∂E/∂w1'], ['dw1', '∂E/∂w1'],
      ['No', ''], ['Step', ''], ['h1 = i1*w1 + i2*w2', ''],
    ]
    expect(spellings.map(([s]) => canonicalName(s) ?? '')).toEqual(spellings.map(([, name]) => name))
  })

  it('finds a table that starts further right and down, after leading columns, with other spellings, another order and a helper column', async () => {
    const order: Name[] = ['t1', 't2', 'i1', 'i2', 'w1', 'w2', 'w3', 'w4', 'h1', 'h2', 'out_h1', 'out_h2', 'w5', 'w6', 'w7', 'w8', 'o1', 'o2', 'out_o1', 'out_o2',
      'E1', 'E2', 'E_tot', '∂E/∂w5', '∂E/∂w6', '∂E/∂w7', '∂E/∂w8', '∂E/∂w1', '∂E/∂w2', '∂E/∂w3', '∂E/∂w4']
    const spelling = { out_h1: 'act_h1', out_h2: 'act_h2', out_o1: 'a_o1', out_o2: 'a_o2', E_tot: 'Etotal', '∂E/∂w1': 'dE_total / dw1', '∂E/∂w5': 'δE_tot/δw5' } as const
    const r = await only({ eta: 1, columns: order, spelling, leading: ['No', 'Step'], helperAfter: 'E_tot', headerRow: 44, firstCol: 4, etaCell: { label: 'learningRate=' } })
    expect(r).toMatchObject({ headerRow: 44, learningRate: 1, learningRateSource: 'label', firstMismatch: null, cellsChecked: 20 * 31 })
  })

  it('checks what is there when columns are left out', async () => {
    const columns = CLASSIC.filter((c) => !['h1', 'h2', 'o1', 'o2', 'E1', 'E2'].includes(c))
    const r = await only({ eta: 0.5, columns })
    expect(r).toMatchObject({ firstMismatch: null, cellsChecked: 20 * 25, cellsAgreeing: 20 * 25 })
  })

  it('finds η in a named cell, in a labelled cell (lookalike letters too), or infers it from the rows', async () => {
    expect(await only({ eta: 0.8, etaCell: 'named' })).toMatchObject({ learningRate: 0.8, learningRateSource: 'named', firstMismatch: null })
    for (const label of ['ŋ =', 'LR', 'α =', 'eta', 'learning rate'])
      expect(await only({ eta: 0.8, etaCell: { label }, formulas: false }), label).toMatchObject({ learningRate: 0.8, learningRateSource: 'label', firstMismatch: null })
    expect(await only({ eta: 0.8, etaCell: 'none', formulas: false })).toMatchObject({ learningRate: 0.8, learningRateSource: 'inferred', firstMismatch: null })
  })

  it('reads two tables side by side in one header row', async () => {
    const wb = new ExcelJS.Workbook()
    addTable(wb, { eta: 0.5, etaCell: 'none', formulas: false })
    addTable(wb, { eta: 2, etaCell: 'none', formulas: false, firstCol: 40 })
    const result = await checkWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()), 'two.xlsx')
    expect(result.tables.map((t) => [t.report.learningRate, t.report.learningRateSource, t.report.firstMismatch])).toEqual([
      [0.5, 'inferred', null],
      [2, 'inferred', null],
    ])
  })

  it('does not count the stored precision as a mistake: 10 significant digits (Google Sheets), 6 decimal places (pasted values)', async () => {
    expect(await only({ eta: 0.5, round: { digits: 10 } })).toMatchObject({ firstMismatch: null })
    expect(await only({ eta: 0.5, round: { places: 6 }, formulas: false })).toMatchObject({ firstMismatch: null })
    // …yet a real mistake in a rounded sheet is still found.
    const slipped = await only({ eta: 0.5, round: { digits: 10 }, slip: (name, r) => (name === 'E1' ? 2 * r.E1 : undefined) })
    expect(slipped.firstMismatch).toMatchObject({ cell: 'U31', column: 'E1', epoch: 1, likelyMistake: expect.stringContaining('missing ½') })
  })
})

describe('spreadsheet checker: mistakes, at the right cell with the right guess', () => {
  it('a wrong weight in a hidden-layer gradient (w6 for w7)', async () => {
    const slip: SheetOptions['slip'] = (name, r) => {
      if (name !== '∂E/∂w1') return undefined
      const d1 = (r.out_o1 - r.t1) * r.out_o1 * (1 - r.out_o1)
      const d2 = (r.out_o2 - r.t2) * r.out_o2 * (1 - r.out_o2)
      return (d1 * r.w5 + d2 * r.w6) * r.out_h1 * (1 - r.out_h1) * r.i1
    }
    const r = await only({ eta: 0.5, slip })
    expect(r.firstMismatch).toMatchObject({ cell: 'X31', column: '∂E/∂w1', epoch: 1, likelyMistake: expect.stringContaining('w6 where w7 belongs') })
    expect(r.firstMismatch!.formula).toBe('=(M31*((R31-A31)*(R31*(1-R31)))+O31*((T31-B31)*(T31*(1-T31))))*(J31*(1-J31))*C31')
    // The later cells that follow from it are counted, not listed.
    expect(r.cellsChecked - r.cellsAgreeing).toBeGreaterThan(100)
  })

  it('σ(h) where σ(o) belongs', async () => {
    const r = await only({ eta: 0.5, slip: (name, row) => (name === '∂E/∂w5' ? (row.out_o1 - row.t1) * row.out_h1 * (1 - row.out_h1) * row.out_h1 : undefined) })
    expect(r.firstMismatch).toMatchObject({ cell: 'AB31', column: '∂E/∂w5', epoch: 1, likelyMistake: expect.stringContaining('σ(h) where σ(o) belongs') })
  })

  it('a sign error in the update', async () => {
    const r = await only({ eta: 0.5, slip: (name, _row, _epoch, prev) => (name === 'w1' && prev ? prev.w1 + 0.5 * prev['∂E/∂w1'] : undefined) })
    expect(r.firstMismatch).toMatchObject({ cell: 'E32', column: 'w1', epoch: 2, likelyMistake: expect.stringContaining('sign error in the update') })
    expect(r.firstMismatch!.formula).toBe('=E31-$B$28*X31')
  })

  it('a missing ½', async () => {
    const r = await only({ eta: 0.5, slip: (name, row) => (name === 'E2' ? (row.t2 - row.out_o2) ** 2 : undefined) })
    expect(r.firstMismatch).toMatchObject({ cell: 'V31', column: 'E2', epoch: 1, likelyMistake: expect.stringContaining('missing ½') })
  })

  it('a hard-typed value where a formula belongs', async () => {
    const r = await only({ eta: 0.5, typed: [[5, 'E_tot', 0.2]] })
    expect(r.firstMismatch).toMatchObject({ cell: 'W35', column: 'E_tot', epoch: 5, found: 0.2, likelyMistake: expect.stringContaining('hard-typed value') })
    expect(r.cellsChecked - r.cellsAgreeing).toBe(1)
  })

  it('a different η from the one stated', async () => {
    const r = await only({ eta: 0.5, usedEta: 1 })
    expect(r.learningRate).toBe(0.5)
    expect(r.firstMismatch).toMatchObject({ cell: 'E32', column: 'w1', epoch: 2, likelyMistake: expect.stringContaining('η = 1') })
  })
})

describe('spreadsheet checker: files that are not such sheets', () => {
  const rejects = async (bytes: Uint8Array, pattern: RegExp) => {
    const error = await checkWorkbook(bytes, 'x.xlsx').then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(UnreadableWorkbook)
    const message = (error as Error).message
    expect(message).toMatch(pattern)
    expect(message).not.toContain('\n')
  }

  it('random bytes', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24)
    await rejects(bytes, /not an xlsx workbook \(not a zip archive\)/)
  })

  it('a zip that is not an xlsx', async () => {
    const zip = new JSZip()
    zip.file('readme.txt', 'hello')
    await rejects(await zip.generateAsync({ type: 'uint8array' }), /not an xlsx workbook \(no xl\/workbook\.xml\)/)
  })

  it('a zip with an xlsx name inside that is damaged', async () => {
    const zip = new JSZip()
    zip.file('xl/workbook.xml', '<not xml')
    await rejects(await zip.generateAsync({ type: 'uint8array' }), /^(not a readable xlsx workbook|no epoch table found)/)
  })

  it('an xlsx with no header row', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('numbers')
    for (let r = 1; r < 20; r++) ws.addRow([r, r * r, 'w1'])
    await rejects(new Uint8Array(await wb.xlsx.writeBuffer()), /^no epoch table found/)
  })

  it('a table that cannot be rebuilt (no inputs) is named in one line', async () => {
    const columns = CLASSIC.filter((c) => c !== 'i1' && c !== 'i2')
    await rejects(await workbookBytes({ eta: 0.5, columns, formulas: false }), /^Sheet1 row 30: cannot tell the network’s size/)
  })

  it('a zip bomb is refused from its directory, before it is unpacked', async () => {
    const zip = new JSZip()
    zip.file('xl/workbook.xml', '')
    zip.file('xl/worksheets/sheet1.xml', 'x')
    const bytes = await zip.generateAsync({ type: 'uint8array' })
    // What a bomb's directory declares: an entry that unpacks to 4 GB.
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    for (let p = 0; p < bytes.length - 4; p++) if (view.getUint32(p, true) === 0x02014b50) view.setUint32(p + 24, 0xfffffffe, true)
    await rejects(bytes, /unpacks to more than 256 MB/)
  })
})
