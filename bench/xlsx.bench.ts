/**
 * Excel export benchmark (a measurement, not a test): the sheet's 2-2-2 network, 100,000 epochs ×
 * 31 columns, written by the streaming exporter (a) values only — target ≤ 10 s and ≤ 300 MB peak
 * RSS on the 2-core build machine — and (b) with live formulas (the default at this size).
 * Each case runs in a fresh Node process so its peak RSS is its own.
 *
 *   npx tsx bench/xlsx.bench.ts            (EPOCHS=20000 for a shorter run)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportXlsx } from '../src/node/export/xlsx'
import { defaultExperiment } from '../src/shared/experiment'
import { trainForExport } from '../src/shared/export/input'
import type { FormulaMode } from '../src/shared/xlsx/workbook'

const EPOCHS = Number(process.env.EPOCHS ?? 100_000)

async function child(mode: FormulaMode, path: string): Promise<void> {
  const exp = defaultExperiment()
  exp.training.epochs = EPOCHS
  const t0 = performance.now()
  const input = await trainForExport(exp)
  const trained = performance.now()
  await exportXlsx({ input, path, workbook: { mode } })
  const seconds = (performance.now() - t0) / 1000
  const rssMB = process.resourceUsage().maxRSS / 1024
  process.stdout.write(JSON.stringify({ seconds, trainSeconds: (trained - t0) / 1000, rssMB, fileMB: statSync(path).size / 1048576 }))
}

function parent(): void {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-xlsx-bench-'))
  const script = fileURLToPath(import.meta.url)
  try {
    for (const [mode, label, targets] of [
      ['values', 'values only  ', ' (targets ≤ 10 s, ≤ 300 MB)'],
      ['auto', 'live formulas', ''],
    ] as const) {
      const out = execFileSync(process.execPath, [...process.execArgv, script, '--child', mode, join(dir, `${mode}.xlsx`)], { encoding: 'utf8', env: process.env })
      const r = JSON.parse(out) as { seconds: number; trainSeconds: number; rssMB: number; fileMB: number }
      console.log(`xlsx ${label}: ${EPOCHS.toLocaleString('en-US')} epochs × 31 columns in ${r.seconds.toFixed(1)} s (training once: ${r.trainSeconds.toFixed(2)} s), peak RSS ${r.rssMB.toFixed(0)} MB, file ${r.fileMB.toFixed(1)} MB${targets}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const at = process.argv.indexOf('--child')
if (at > 0) await child(process.argv[at + 1] as FormulaMode, process.argv[at + 2])
else parent()
