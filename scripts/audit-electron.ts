// `npm run audit:electron`: runs Electronegativity over src/ and fails on any high or medium
// finding that is not explained in the source. Electronegativity itself always exits 0, so its
// CSV report is read here. An accepted finding carries, within the 8 lines above the reported
// line, a comment `electronegativity-accept CHECK_ID: why it is safe`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

export interface Finding {
  id: string
  severity: string
  confidence: string
  file: string
  line: number
  description: string
}

/** RFC 4180-ish: quoted fields may hold commas and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const endField = (): void => {
    row.push(field.trim())
    field = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') endField()
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endField()
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
    } else field += c
  }
  row.push(field.trim())
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

export class BrokenReport extends Error {}

export function findingsFromCsv(text: string): Finding[] {
  const [header, ...rows] = parseCsv(text)
  if (!header || header[0] !== 'issue') throw new BrokenReport('not an Electronegativity CSV report')
  const short = rows.find((r) => r.length < 7)
  if (short) throw new BrokenReport(`a report row has ${short.length} fields, not 8: ${short.join(',').slice(0, 80)}`)
  return rows.map((r) => ({ id: r[0], severity: r[1], confidence: r[2], file: r[3], line: Number(r[4].split(':')[0]), description: r[6] }))
}

/**
 * Runs Electronegativity and reads its report. It writes the CSV's header and its rows with two
 * writes it does not wait for (util/file.js in 1.10), so now and then the header lands over the
 * first row, or truncates the rows away. A garbled report, or one without a single finding (src/
 * always has the BrowserWindow checks), is read again from a new run, three times at most.
 */
function audit(root: string, electronVersion: string, report: string): Finding[] {
  for (let attempt = 1; ; attempt++) {
    rmSync(report, { force: true })
    execFileSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', join(root, 'src'), '-e', electronVersion, '-o', report], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    if (!existsSync(report)) throw new Error('Electronegativity wrote no report (see its output above)')
    try {
      const findings = findingsFromCsv(readFileSync(report, 'utf8'))
      if (!findings.length) throw new BrokenReport('no findings at all')
      return findings
    } catch (e) {
      if (!(e instanceof BrokenReport) || attempt === 3) throw e
      console.log(`  (report garbled, ${e.message}; running again)`)
    }
  }
}

/** The explanation written next to a finding, or null. */
export function explanation(finding: Finding, source: string): string | null {
  const lines = source.split(/\r?\n/)
  const from = Math.max(0, finding.line - 9)
  const pattern = new RegExp(`electronegativity-accept ${finding.id}:\\s*(.+)`)
  for (let i = finding.line - 1; i >= from; i--) {
    const match = pattern.exec(lines[i] ?? '')
    if (match) return match[1].trim()
  }
  return null
}

export function mustExplain(finding: Finding): boolean {
  return finding.severity === 'HIGH' || finding.severity === 'MEDIUM'
}

function main(): void {
  const root = resolve(import.meta.dirname, '..')
  const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'))
  const report = join(dir, 'report.csv')
  try {
    const findings = audit(root, electron.version, report)
    let unexplained = 0
    for (const f of findings) {
      const where = `${relative(root, f.file)}:${f.line}`
      const why = mustExplain(f) ? explanation(f, readFileSync(f.file, 'utf8')) : null
      if (!mustExplain(f)) console.log(`  note      ${f.severity.padEnd(6)} ${f.id} ${where}`)
      else if (why) console.log(`  accepted  ${f.severity.padEnd(6)} ${f.id} ${where} — ${why}`)
      else {
        unexplained++
        console.log(`  FAIL      ${f.severity.padEnd(6)} ${f.id} ${where} — ${f.description}`)
      }
    }
    console.log(`Electronegativity (Electron ${electron.version}): ${findings.length} findings, ${unexplained} unexplained high/medium`)
    if (unexplained > 0) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main()
