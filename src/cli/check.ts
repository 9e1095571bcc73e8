import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { checkWorkbook, formatTable, reportJson, SPREADSHEET_MAX_BYTES, UnreadableWorkbook } from '../shared/check'
import { writeLines } from './write'

/**
 * `check FILE.xlsx [--json OUT]`: the spreadsheet checker (docs/check-spreadsheet.md).
 * Exit code 0 when every table agrees, 2 when one holds a mismatch, 1 when the file cannot be read
 * or holds no epoch table; every failure is one line on stderr.
 */
export const CHECK_USAGE = 'usage: backprop-lab check FILE.xlsx [--json OUT]'

function parseCheckArgs(argv: string[]): { file: string; json: string | null } {
  let file: string | null = null
  let json: string | null = null
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new UnreadableWorkbook(`--json needs a value; ${CHECK_USAGE}`)
      json = v
    } else if (arg.startsWith('--')) throw new UnreadableWorkbook(`unknown option ${arg}; ${CHECK_USAGE}`)
    else if (file) throw new UnreadableWorkbook(`only one workbook, got "${file}" and "${arg}"`)
    else file = arg
  }
  if (!file) throw new UnreadableWorkbook(CHECK_USAGE)
  return { file, json }
}

function readBytes(file: string): Uint8Array {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new UnreadableWorkbook(`${file}: not a file`)
    size = stat.size
  } catch (e) {
    if (e instanceof UnreadableWorkbook) throw e
    throw new UnreadableWorkbook(`${file}: no such file`)
  }
  if (size > SPREADSHEET_MAX_BYTES) throw new UnreadableWorkbook(`${basename(file)}: ${Math.round(size / 1048576)} MB is larger than the checker reads (${SPREADSHEET_MAX_BYTES / 1048576} MB)`)
  return readFileSync(file)
}

export async function runCheck(argv: string[]): Promise<number> {
  let file = ''
  try {
    const args = parseCheckArgs(argv)
    file = args.file
    const check = await checkWorkbook(readBytes(file), basename(file))
    for (const table of check.tables) process.stdout.write(formatTable(table).join('\n') + '\n')
    for (const problem of check.problems) process.stdout.write(`not checked: ${problem}\n`)
    if (args.json) {
      await writeLines(args.json, [JSON.stringify(reportJson(check), null, 2)])
      process.stdout.write(`wrote ${args.json}\n`)
    }
    return check.tables.every((t) => t.report.firstMismatch === null) ? 0 : 2
  } catch (e) {
    const message = e instanceof UnreadableWorkbook ? e.message : `could not check the workbook (${(e as Error).message})`
    process.stderr.write(`error: ${file && !message.startsWith(file) && !message.startsWith(basename(file)) ? `${basename(file)}: ` : ''}${message}\n`)
    return 1
  }
}
