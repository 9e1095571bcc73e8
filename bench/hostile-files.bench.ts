/**
 * The hostile-file corpus (tests/hostile/corpus.ts) through the app's open path, one fresh Node
 * process per file so each peak is its own: time to open or refuse, and peak resident memory.
 * Targets (issue 12): each within 2 s and 500 MB on the 2-core build machine. A measurement, not a test.
 *
 *   npm run bench:hostile
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildCorpus } from '../tests/hostile/corpus'
import type { Measured } from '../tests/hostile/open-like-the-app'

const dir = mkdtempSync(join(tmpdir(), 'bplab-hostile-bench-'))
try {
  const corpus = buildCorpus(dir)
  // The baseline: a process that loads the same code and opens nothing.
  const rows: (Measured & { kb: number })[] = []
  for (const file of corpus) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../tests/hostile/open-like-the-app.ts'), dir, file.name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    })
    rows.push({ ...(JSON.parse(out) as Measured), kb: statSync(join(dir, file.name)).size / 1024 })
  }
  const pad = (s: string, n: number) => s.padEnd(n).slice(0, n)
  console.log(`${pad('file', 42)} ${'size'.padStart(9)} ${'time'.padStart(8)} ${'peak RSS'.padStart(9)}  outcome`)
  for (const r of rows) {
    const outcome = r.result.ok ? `opened (${r.result.onOpen}; Train ${r.result.train})` : `refused: ${r.result.error}`
    const size = r.kb >= 1024 ? `${(r.kb / 1024).toFixed(0)} MB` : `${r.kb.toFixed(0)} KB`
    console.log(`${pad(r.name, 42)} ${size.padStart(9)} ${`${r.ms.toFixed(0)} ms`.padStart(8)} ${`${r.peakMB.toFixed(0)} MB`.padStart(9)}  ${outcome.slice(0, 110)}`)
  }
  const slowest = rows.reduce((a, b) => (b.ms > a.ms ? b : a))
  const biggest = rows.reduce((a, b) => (b.peakMB > a.peakMB ? b : a))
  console.log(`\n${rows.length} files; ${rows.filter((r) => r.result.ok).length} opened, ${rows.filter((r) => !r.result.ok).length} refused`)
  console.log(`slowest: ${slowest.name} ${slowest.ms.toFixed(0)} ms; largest peak RSS: ${biggest.name} ${biggest.peakMB.toFixed(0)} MB`)
  console.log(`(peak RSS includes Node + tsx, about ${Math.min(...rows.map((r) => r.peakMB)).toFixed(0)} MB for the smallest file)`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
