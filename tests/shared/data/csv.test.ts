import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCsv, samplesFromCsv, type CsvColumns } from '../../../src/shared/data/csv'
import { LIMITS } from '../../../src/shared/limits'
import { csvTable } from '../../fixtures/csv'

/** Text to samples in one go, as the import dialog goes: parseCsv then samplesFromCsv. */
const importCsv = (text: string, choice: CsvColumns) => {
  const t = parseCsv(text)
  return t.ok ? samplesFromCsv(t.value, choice) : t
}
const lines = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n')

describe('parseCsv', () => {
  it('reads a header, quoted cells and CRLF; the first row of text is the header', () => {
    const t = csvTable('x1,"x 2, cm",label\r\n0.5,-1,1\r\n"2",3e-1,0\r\n')
    expect(t).toStrictEqual({
      columns: ['x1', 'x 2, cm', 'label'],
      rows: [
        ['0.5', '-1', '1'],
        ['2', '3e-1', '0'],
      ],
      header: true,
      delimiter: ',',
    })
  })

  it('a first row of numbers is data: columns are named column 1, column 2, …', () => {
    const t = csvTable('1,2\n3,4\n')
    expect(t.header).toBe(false)
    expect(t.columns).toEqual(['column 1', 'column 2'])
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ])
  })

  it('finds ; and tab delimiters, skips a BOM and blank lines', () => {
    expect(csvTable('\ufeffa;b\n1;2\n\n3;4\n').rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ])
    expect(csvTable('a\tb\n1\t2').delimiter).toBe('\t')
  })

  it('refuses bad files with one line naming the row', () => {
    expect(parseCsv('')).toEqual({ ok: false, error: 'file: is empty' })
    expect(parseCsv(' \n\n')).toEqual({ ok: false, error: 'file: is empty' })
    expect(parseCsv('x,y\n')).toEqual({ ok: false, error: 'file: has a header but no rows of numbers' })
    expect(parseCsv('x,y\n1,2\n3\n')).toEqual({ ok: false, error: 'row 3: has 1 cells; the first row has 2' })
    expect(parseCsv('x,y\n1,2\n3,"4\n')).toEqual({ ok: false, error: 'row 3: Quoted field unterminated' })
    expect(parseCsv(Array.from({ length: 1025 }, (_, i) => i).join(',') + '\n')).toEqual({
      ok: false,
      error: 'row 1: has 1025 columns; at most 1024',
    })
  })

  it(`takes ${LIMITS.maxSamples} rows and refuses one more, without parsing the rest of a huge file`, () => {
    const at = `x,y\n${lines(LIMITS.maxSamples, (i) => `${i},1`)}\n`
    expect(parseCsv(at).ok).toBe(true)
    const over = `x,y\n${lines(LIMITS.maxSamples + 1, (i) => `${i},1`)}\n`
    expect(parseCsv(over)).toEqual({ ok: false, error: 'file: has more than 10000 rows; at most 10000 samples' })
    // Past the limit the rest is not parsed: a broken row after it is never reached.
    expect(parseCsv(over + '"unterminated\n' + lines(50_000, () => '1,2'))).toEqual(parseCsv(over))
  })

  it('never throws on junk: binary bytes, control characters, a lone quote; the answer is one line', () => {
    expect(parseCsv(',,,\n,')).toEqual({ ok: false, error: 'file: has only empty cells' })
    const junk = ['\u0000\u0001PNG\r\n\u001a\n\u0000\u0000', '"', ',,,\n,', '\u0000'.repeat(1000), 'a,b\n1,2\n"x"y",3\n']
    for (const text of junk) {
      const t = parseCsv(text)
      const answer = t.ok ? samplesFromCsv(t.value, { inputs: [0], targets: [t.value.columns.length - 1] }) : t
      if (!answer.ok) expect(answer.error.split('\n')).toHaveLength(1)
    }
  })

  it('any text at all (2,000 random strings) gets a table or one line, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(',', ';', '\t', '"', '\n', '\r', ' ', '1', '.', '-', 'e', 'x', '\u0000') }), (text) => {
        const t = parseCsv(text)
        const answer = t.ok ? samplesFromCsv(t.value, { inputs: [0], targets: [t.value.columns.length - 1] }) : t
        if (!answer.ok) expect(answer.error).not.toContain('\n')
      }),
      { numRuns: 2000 }
    )
  })

  it('quotes at most 40 characters of a bad cell', () => {
    const e = importCsv(`a,b\n1,${'z'.repeat(1_000_000)}\n`, { inputs: [0], targets: [1] })
    expect(e).toEqual({ ok: false, error: `row 2, column "b": "${'z'.repeat(40)}…" is not a number` })
  })

  it('refuses a file over the size limit before parsing it', () => {
    const huge = 'x'.repeat(LIMITS.maxFileBytes + 1)
    expect(parseCsv(huge)).toEqual({ ok: false, error: 'file: is 128 MB; CSV files up to 128 MB can be imported' })
  })
})

describe('samplesFromCsv', () => {
  const t = () => csvTable('x1,x2,name,label\n0.5,-1,a,1\n2,.25,b,0\n')

  it('makes one sample per row from the chosen columns, in the chosen order; unused text columns are fine', () => {
    expect(samplesFromCsv(t(), { inputs: [1, 0], targets: [3] })).toEqual({
      ok: true,
      value: [
        { inputs: [-1, 0.5], targets: [1] },
        { inputs: [0.25, 2], targets: [0] },
      ],
    })
  })

  it('names the row and column of a cell that is not a number', () => {
    expect(samplesFromCsv(t(), { inputs: [0, 2], targets: [3] })).toEqual({ ok: false, error: 'row 2, column "name": "a" is not a number' })
    expect(importCsv('a,b\n1,2\n3,\n', { inputs: [0], targets: [1] })).toEqual({ ok: false, error: 'row 3, column "b": is empty' })
    expect(importCsv('1,2\n3,1e999\n', { inputs: [0], targets: [1] })).toEqual({
      ok: false,
      error: 'row 2, column "column 2": "1e999" is too large for a number',
    })
    expect(importCsv('a,b\n1,0x10\n', { inputs: [0], targets: [1] })).toEqual({
      ok: false,
      error: 'row 2, column "b": "0x10" is not a number',
    })
    expect(importCsv('a,b\n1,Infinity\n', { inputs: [0], targets: [1] })).toEqual({
      ok: false,
      error: 'row 2, column "b": "Infinity" is not a number',
    })
  })

  it('reads decimal commas when the delimiter is ; (spreadsheets in many locales write them)', () => {
    expect(importCsv('a;b\n1,5;-0,25\n', { inputs: [0], targets: [1] })).toEqual({ ok: true, value: [{ inputs: [1.5], targets: [-0.25] }] })
  })

  it('refuses a choice of columns that cannot make samples', () => {
    expect(samplesFromCsv(t(), { inputs: [], targets: [3] })).toEqual({ ok: false, error: 'inputs: choose at least one column' })
    expect(samplesFromCsv(t(), { inputs: [0], targets: [] })).toEqual({ ok: false, error: 'targets: choose at least one column' })
    expect(samplesFromCsv(t(), { inputs: [0, 4], targets: [3] })).toEqual({ ok: false, error: 'inputs: there is no column 5' })
    expect(samplesFromCsv(t(), { inputs: [0, 3], targets: [3] })).toEqual({
      ok: false,
      error: 'column "label" is chosen as an input and as a target',
    })
  })
})
