import { describe, expect, it } from 'vitest'
import { BrokenReport, explanation, findingsFromCsv, mustExplain, parseCsv } from '../../scripts/audit-electron'

// The header and rows as Electronegativity 1.10 writes them (-o report.csv).
const report = [
  'issue, severity, confidence, filename, location, sample, description, url',
  'CSP_GLOBAL_CHECK,"LOW","FIRM","/p/src/renderer/index.html","5:0","default-src \'self\'; style-src \'self\'","One or more CSP directives detected seems to be vulnerable",https://x/CSP',
  'SANDBOX_JS_CHECK,"MEDIUM","FIRM","/p/src/main/window.ts","6:14","const win = new BrowserWindow({","Use sandbox for untrusted origins",https://x/SANDBOX',
  'CONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","/p/src/main/window.ts","6:14","const win = new BrowserWindow({","Review the use of the contextIsolation option, or ""this""",https://x/CI',
].join('\n')

describe('the Electronegativity gate', () => {
  it('reads the CSV report, quoted fields with commas and quotes included', () => {
    expect(parseCsv('a,"b, c","d ""e"""\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ])
    const findings = findingsFromCsv(report)
    expect(findings.map((f) => [f.id, f.severity, f.line])).toEqual([
      ['CSP_GLOBAL_CHECK', 'LOW', 5],
      ['SANDBOX_JS_CHECK', 'MEDIUM', 6],
      ['CONTEXT_ISOLATION_JS_CHECK', 'HIGH', 6],
    ])
    expect(findings[2].description).toBe('Review the use of the contextIsolation option, or "this"')
    expect(() => findingsFromCsv('nope\n')).toThrow(BrokenReport)
    // Electronegativity's header write racing its rows: the header over the first row's start.
    const garbled = report.replace(/^[^\n]*\n.{60}/, 'issue, severity, confidence, filename, location, sample, description, url\n')
    expect(() => findingsFromCsv(garbled)).toThrow(/fields/)
  })

  it('high and medium findings need an explanation next to them; low ones do not', () => {
    const [low, sandbox, isolation] = findingsFromCsv(report)
    expect([low, sandbox, isolation].map(mustExplain)).toEqual([false, true, true])
    const source = [
      'a',
      '// electronegativity-accept SANDBOX_JS_CHECK: sandbox is true (security.ts)',
      'b',
      'c',
      'd',
      'const win = new BrowserWindow({',
    ].join('\n')
    expect(explanation(sandbox, source)).toBe('sandbox is true (security.ts)')
    expect(explanation(isolation, source)).toBeNull()
    // Too far above the finding does not count.
    const far = ['// electronegativity-accept SANDBOX_JS_CHECK: far away', ...Array(12).fill('x'), 'new BrowserWindow({'].join('\n')
    expect(explanation({ ...sandbox, line: 14 }, far)).toBeNull()
  })
})
