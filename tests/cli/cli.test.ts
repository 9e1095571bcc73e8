import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index'
import { defaultExperiment } from '../../src/shared/experiment'
import { writeHugeWideFile } from '../hostile/corpus'
import { appColumnName, loadSheet, relativeError } from '../shared/reference'

const root = resolve(__dirname, '../..')
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 })

/** The CLI's main() in this process (a spawn costs a second or more): its exit code and what it wrote to stderr. */
async function cliInProcess(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = ''
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    return { status: await main(args), stderr }
  } finally {
    write.mockRestore()
    vi.restoreAllMocks()
  }
}

describe('command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-cli-'))
  const sheet = loadSheet()

  it('trains the sheet by default and writes CSV and JSON that equal the sheet', () => {
    const csv = join(dir, 'out.csv')
    const json = join(dir, 'out.json')
    const r = cli('train', '--lr', '0.5,2', '--csv', csv, '--json', json)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    // One file; with two learning rates every row starts with its run and η (docs/xlsx-export.md).
    const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines).toHaveLength(141)
    expect(lines[0].split(',')).toEqual(['run', 'eta', 'epoch', ...sheet.eta_2.columns.map(appColumnName)])
    const row70 = lines[140].split(',').map(Number)
    expect(row70.slice(0, 3)).toEqual([2, 2, 70])
    sheet.eta_2.columns.forEach((c, i) => expect(relativeError(row70[i + 3], sheet.eta_2.rows[69][c])).toBeLessThanOrEqual(1e-11))
    const out = JSON.parse(readFileSync(json, 'utf8'))
    expect(out.runs.map((r: { learningRate: number }) => r.learningRate)).toEqual([0.5, 2])
    expect(out.runs[0].stopReason.kind).toBe('epochs')
    const e = out.runs[0].columns.indexOf('E_tot')
    expect(relativeError(out.runs[0].rows[69][e], sheet.eta_0_5.rows[69].E_tot)).toBeLessThanOrEqual(1e-11)
    // The measures are always listed, null where the run has none: no test set, targets not 0/1.
    expect(out.runs[0].columns.slice(e, e + 5)).toEqual(['E_tot', 'E_test', 'acc_train', 'acc_test', '∂E/∂w1'])
    expect(out.runs[0].rows[69].slice(e + 1, e + 4)).toEqual([null, null, null])
  })

  it('--json writes the issue-15 columns with their names: E_test, acc_train, acc_test of generated XOR data, momentum’s v_ state', async () => {
    const file = join(dir, 'xor.bplab')
    const xor = {
      ...defaultExperiment(),
      network: { layers: [3, 4, 1], activations: ['tanh', 'sigmoid'], bias: 'trained' },
      loss: 'bce',
      data: { generator: 'xor', count: 100, noise: 0, seed: 3, testFraction: 0.2 },
      features: ['x1', 'x2', 'x1*x2'],
      init: { seed: 2, scheme: 'xavier' },
      training: { ...defaultExperiment().training, learningRates: [0.1], epochs: 60, batchSize: 10, shuffleSeed: 4, optimizer: { kind: 'momentum', momentum: 0.9 } },
    }
    delete (xor as { samples?: unknown }).samples
    delete (xor as { test?: unknown }).test
    writeFileSync(file, JSON.stringify(xor))
    const json = join(dir, 'xor-out.json')
    expect(await cliInProcess('train', file, '--json', json)).toEqual({ status: 0, stderr: '' })
    const run = JSON.parse(readFileSync(json, 'utf8')).runs[0]
    const at = (name: string) => run.columns.indexOf(name)
    expect(run.columns.slice(0, 4)).toEqual(['epoch', 't1', 'i1', 'i2']) // 80 training samples: the first one's columns
    expect(run.columns.slice(at('E_tot'), at('E_tot') + 5)).toEqual(['E_tot', 'E_test', 'acc_train', 'acc_test', '∂E/∂w1'])
    expect(run.columns.slice(-21)).toEqual([...Array.from({ length: 16 }, (_, i) => `v_w${i + 1}`), ...Array.from({ length: 5 }, (_, i) => `v_b${i + 1}`)])
    expect(run.rows[0][at('v_w1')]).toBe(0)
    const last = run.rows[59]
    expect(last[at('E_test')]).toBeGreaterThan(0)
    expect(last[at('acc_test')]).toBe(1)
    expect(last[at('acc_train')]).toBe(1)
  })

  it('writes its output through the atomic writer: a read-only file is refused and kept, a symlink kept, no temp file left (issue 14)', () => {
    const json = join(dir, 'locked.json')
    writeFileSync(json, 'earlier output')
    chmodSync(json, 0o444)
    const refused = cli('train', '--json', json)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^error: Could not save "locked\.json": the file is read-only\. Nothing was written/)
    expect(readFileSync(json, 'utf8')).toBe('earlier output')
    const real = join(dir, 'real.json')
    writeFileSync(real, 'x')
    symlinkSync(real, join(dir, 'link.json'))
    expect(cli('train', '--json', join(dir, 'link.json')).status).toBe(0)
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(JSON.parse(readFileSync(real, 'utf8')).runs).toHaveLength(1)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('reads an experiment file and overrides epochs', () => {
    const file = join(dir, 'exp.json')
    writeFileSync(file, JSON.stringify({ ...defaultExperiment(), training: { learningRates: [1], epochs: 70 } }))
    const csv = join(dir, 'one.csv')
    const r = cli('train', file, '--epochs', '5', '--csv', csv)
    expect(r.status).toBe(0)
    expect(readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(6)
  })

  it('bad files and arguments: exit 1, one line naming the problem, no stack trace', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...defaultExperiment(), init: { weights: [1, 2, 3] } }))
    const notJson = join(dir, 'junk.json')
    writeFileSync(notJson, '{ nope')
    const cases: [string[], RegExp][] = [
      [['train', bad], /^error: Could not open "bad\.json": init\.weights: needs 8 values, got 3\.\n$/],
      [['train', notJson], /^error: Could not open "junk\.json": file: is not valid JSON/],
      [['train', join(dir, 'missing.json')], /^error: Could not open "missing\.json": it does not exist\.\n$/],
      [['train', '--lr', '0,1'], /^error: --lr: "0" is not a learning rate > 0\n$/],
      [['train', '--epochs'], /^error: --epochs needs a value\n$/],
      [['train', '--frobnicate'], /^error: unknown option --frobnicate/],
      [['fly'], /^error: unknown command "fly"/],
    ]
    // The process as a user runs it, once: main()'s result becomes its exit code.
    const spawned = cli(...cases[0][0])
    expect(spawned.status).toBe(1)
    expect(spawned.stderr).toMatch(cases[0][1])
    for (const [args, message] of cases) {
      const r = await cliInProcess(...args)
      expect(r.status, args.join(' ')).toBe(1)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    }
  })

  // Issue 12 part C. Each must end at once (the 20 s timeout is generous; the target is 2 s, see
  // bench/hostile-files.bench.ts) with one line naming the problem.
  it.skipIf(process.platform === 'win32')('hostile inputs: devices, FIFOs, too many rates, unholdable recording, hex and huge numbers', () => {
    const fifo = join(dir, 'x.json')
    execFileSync('mkfifo', [fifo])
    const huge200 = join(dir, 'huge-200-rates.json')
    writeHugeWideFile(huge200, 200)
    const huge64 = join(dir, 'huge-64-rates.json')
    writeHugeWideFile(huge64, 64)
    const rates = (n: number) => Array.from({ length: n }, (_, i) => String(0.1 + i / 1000)).join(',')
    const cases: [string[], RegExp][] = [
      [['train', huge200], /^error: Could not open "huge-200-rates\.json": training\.learningRates: has 200 learning rates; at most 64 \(one run each\)\.\n$/],
      // The format's widest file trains (E_tot only: issue 12 item 6); recording all of it cannot be held.
      [['train', huge64, '--json', join(dir, 'huge.json')], /^error: --json: every column of every epoch would be 3\.70 billion numbers \(27\.6 GB\), more than 1\.00 GB/],
      [['train', '/dev/zero'], /^error: Could not open "zero": it is not a regular file\.\n$/],
      [['train', fifo], /^error: Could not open "x\.json": it is not a regular file\.\n$/],
      [['train', '--lr', rates(3000)], /^error: --lr: 3000 learning rates; at most 64 \(one run each\)\n$/],
      [['train', '--epochs', '100000000', '--json', '/dev/null'], /^error: --json: every column of every epoch would be 2\.70 billion numbers \(20\.1 GB\), more than 1\.00 GB/],
      [['train', '--epochs', '100000000', '--lr', rates(64)], /^error: the job needs 6\.40 billion E_tot values \(47\.7 GB\)/],
      [['train', '--epochs', '0x10'], /^error: --epochs: "0x10" is not a whole number from 1 to 100000000\n$/],
      [['train', '--lr', '0x10'], /^error: --lr: "0x10" is not a learning rate > 0\n$/],
      [['train', '--epochs', '1e20'], /^error: --epochs: "1e20" is not a whole number from 1 to 100000000\n$/],
    ]
    for (const [args, message] of cases) {
      const r = cli(...args)
      expect(r.status, args.join(' ').slice(0, 80)).toBe(1)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    }
  }, 120_000)

  it.skipIf(process.platform === 'win32')('a reader that closes the pipe early ends the program quietly', () => {
    // `true` reads nothing and exits at once: every line the CLI writes meets a closed pipe (EPIPE).
    const run = (reader: string) =>
      spawnSync('sh', ['-c', `node --import tsx src/cli/index.ts train --lr 0.5,1,2 | ${reader}`], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    const closed = run('true')
    expect(closed.stderr).toBe('')
    expect(closed.status).toBe(0)
    const first = run('head -1')
    expect(first.stdout).toMatch(/^η = 0\.5: Trained 70 epochs\. E_tot = [0-9.]+\n$/)
    expect(first.stderr).toBe('')
  }, 60_000)
})
