import type { CheckedTable } from './check-table'

const SOURCE = { named: 'from a named cell', label: 'from a labelled cell', inferred: 'inferred from the rows' } as const

const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(12))) : String(x))

/** A table's verdict as lines of text: the CLI prints them, the report view shows the same words. */
export function formatTable(t: CheckedTable): string[] {
  const r = t.report
  const lines = [
    `${r.sheet} row ${r.headerRow}: ${r.rows} rows, η = ${num(r.learningRate)} (${SOURCE[r.learningRateSource]})` +
      (t.storedDigits < 15 ? `, values stored rounded (as few as ${t.storedDigits} significant digits)` : ''),
  ]
  const m = r.firstMismatch
  if (!m) {
    lines.push(`  agrees: all ${r.cellsChecked} cells of ${r.rows} rows`)
    return lines
  }
  lines.push(`  ${t.rowsAgreeing} of ${r.rows} rows and ${r.cellsAgreeing} of ${r.cellsChecked} cells agree`)
  lines.push(`  first mismatch: ${r.sheet}!${m.cell} (${m.column}, epoch ${m.epoch}): expected ${num(m.expected)}, found ${num(m.found)}`)
  if (m.formula) lines.push(`  it should hold ${m.formula}`)
  lines.push(`  likely mistake: ${m.likelyMistake ?? 'none of the common slips reproduces this number'}`)
  const later = r.cellsChecked - r.cellsAgreeing - 1
  if (later > 0) lines.push(`  ${later} later cell${later === 1 ? '' : 's'} disagree as well (counted, not listed: most follow from the first)`)
  return lines
}
