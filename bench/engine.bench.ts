/**
 * Engine benchmark: epochs per second beside synaptic and brain.js, training the same networks in
 * the same run, and the memory of a million recorded epochs. Not a test: it prints figures.
 * Run with `npm run bench` (node --expose-gc, so memory is measured after a collection).
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { drawParameters, seededRandom, sheetTraining, Trainer, type RunConfig } from '../src/shared/engine'
import { defaultExperiment, runConfigs } from '../src/shared/experiment'
import { PrefaultedChunks } from '../src/cli/prefault'
import { best, ratio } from './rounds'

const require = createRequire(import.meta.url)
const synaptic = require('synaptic')
const brain = require('brain.js')

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

/**
 * Epochs/s of each contender in every round. Rounds interleave the contenders, so a burst of load
 * on this shared machine hits them alike; ratios are also taken within a round (see ratio()).
 */
function rounds(contenders: [(epochs: number) => void, number][], count: number): number[][] {
  for (const [run, epochs] of contenders) run(Math.max(1, Math.floor(epochs / 10))) // warm up the JIT
  return Array.from({ length: count }, () =>
    contenders.map(([run, epochs]) => {
      gc()
      const t0 = performance.now()
      run(epochs)
      return epochs / ((performance.now() - t0) / 1000)
    })
  )
}

function measure(contenders: [(epochs: number) => void, number][], count = 4): number[] {
  return best(rounds(contenders, count))
}

/** Recording as the command line does it: table chunks pre-faulted by a helper thread. */
const prefaulted = new PrefaultedChunks()

function ours(config: RunConfig, record: boolean, compile = true, allocate = prefaulted.allocate) {
  return (epochs: number) => {
    const t = new Trainer({ ...config, epochs }, { record, compile, allocate })
    t.step()
  }
}

function synapticRun(layers: number[], samples: RunConfig['samples'], rate: number) {
  return (epochs: number) => {
    const net = new synaptic.Architect.Perceptron(...layers)
    for (let e = 0; e < epochs; e++)
      for (const s of samples) {
        net.activate(s.inputs)
        net.propagate(rate, s.targets)
      }
  }
}

function brainRun(layers: number[], samples: RunConfig['samples'], rate: number) {
  const data = samples.map((s) => ({ input: s.inputs, output: s.targets }))
  return (epochs: number) => {
    const net = new brain.NeuralNetwork({ hiddenLayers: layers.slice(1, -1), learningRate: rate })
    net.train(data, { iterations: epochs, errorThresh: 1e-12, log: false, learningRate: rate })
  }
}

/** Rows/s of filling fresh chunked Float64Arrays, `columns` doubles a row: the memory floor of recording. */
function freshFill(columns: number) {
  return (rows: number) => {
    const chunks: Float64Array[] = []
    for (let done = 0; done < rows; done += 16384) {
      const chunk = new Float64Array(16384 * columns)
      for (let i = 0; i < chunk.length; i++) chunk[i] = i
      chunks.push(chunk)
    }
  }
}

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0)).padStart(9)
const row = (name: string, rate: number, ref?: number): void =>
  console.log(`  ${name.padEnd(44)} ${fmt(rate)} epochs/s${ref ? `   ×${(rate / ref).toFixed(2)} vs ours` : ''}`)

const sheet = runConfigs(defaultExperiment())[0]

if (process.argv.includes('--memory')) {
  // Child process: only the million-epoch run, so RSS shows what it costs.
  const mb = (x: number): string => `${(x / 1048576).toFixed(0)} MB`
  gc()
  const before = process.memoryUsage()
  const t0 = performance.now()
  const t = new Trainer({ ...sheet, epochs: 1_000_000 }, { allocate: prefaulted.allocate })
  let peak = 0
  while (t.step(50_000)) peak = Math.max(peak, process.memoryUsage().rss)
  const recorded = 1e6 / ((performance.now() - t0) / 1000)
  await prefaulted.close()
  gc()
  const after = process.memoryUsage()
  const t1 = performance.now()
  new Trainer({ ...sheet, epochs: 1_000_000 }, { record: false }).step()
  const lossOnly = 1e6 / ((performance.now() - t1) / 1000)
  const { rowCount, stored } = t.table!
  console.log(`  rows ${rowCount} × ${t.table!.columnCount} columns (${stored.length} stored, the inputs and targets once); payload ${mb(rowCount * stored.length * 8)}`)
  console.log(`  RSS ${mb(after.rss)} (${mb(before.rss)} before training), array buffers ${mb(after.arrayBuffers)} (target ≤ 300 MB)`)
  console.log(`  highest RSS seen during the run ${mb(peak)} (chunks pre-faulted by a helper thread, as in (a))`)
  console.log(`  this one run, in a process that had not run it before: ${fmt(recorded).trim()} epochs/s; then E_tot only ${fmt(lossOnly).trim()} epochs/s (ratio ${(lossOnly / recorded).toFixed(2)})`)
  process.exit(0)
}

console.log('(a)/(b) the sheet\'s 2-2-2 network, one sample')
const sheetRounds = rounds(
  [
    [ours(sheet, true), 1_000_000],
    [ours(sheet, true, true, (n) => new Float64Array(n)), 1_000_000],
    [ours(sheet, false), 2_000_000],
    [ours(sheet, false, false), 1_000_000],
    [synapticRun([2, 2, 2], sheet.samples, 0.5), 1_000_000],
    [brainRun([2, 2, 2], sheet.samples, 0.5), 200_000],
  ],
  5
)
const [a, aPlain, b, bLoops, syn, br] = best(sheetRounds)
row('(a) Backprop Lab, every column recorded', a)
row('    the same, chunks not pre-faulted', aPlain, b)
row('(b) Backprop Lab, E_tot only', b)
row('    the same with the loops, not compiled', bLoops, b)
row('synaptic 1.1.4 (compiled network)', syn, b)
row('brain.js 1.6.1', br, b)
console.log(`  ratios of the best figures: (b)/synaptic = ${(b / syn).toFixed(2)} (target ≥ 1), (b)/(a) = ${(b / a).toFixed(2)} (target ≤ 2)`)
console.log(`  median of the ratios within each of ${sheetRounds.length} rounds: (b)/synaptic = ${ratio(sheetRounds, 2, 4).toFixed(2)}, (b)/(a) = ${ratio(sheetRounds, 2, 0).toFixed(2)}`)
// Recording writes 27 doubles an epoch (inputs and targets are kept once) into memory never touched
// before; what that alone costs here:
const [fill] = measure([[freshFill(27), 1_000_000]], 3)
const floor = 1 / (1 / b + 1 / fill)
row('    floor: writing 27 doubles/epoch to fresh memory', fill)
console.log(`  (a) reaches ${((a / floor) * 100).toFixed(0)}% of (b) plus that floor (${fmt(floor).trim()} epochs/s)`)

console.log('(c) 8-32-32-4, 64 samples, full batch (peers: 64 pattern updates per epoch)')
const random = seededRandom(7)
const big: RunConfig = {
  network: { layers: [8, 32, 32, 4], activations: ['sigmoid', 'sigmoid', 'sigmoid'], bias: 'trained' },
  loss: 'half-sse',
  samples: Array.from({ length: 64 }, () => ({ inputs: Array.from({ length: 8 }, random), targets: Array.from({ length: 4 }, random) })),
  ...drawParameters({ layers: [8, 32, 32, 4], activations: ['sigmoid', 'sigmoid', 'sigmoid'], bias: 'trained' }, { seed: 1, scheme: 'xavier' }),
  learningRate: 0.5,
  ...sheetTraining(),
  epochs: 1,
  stopBelow: 0,
}
const [c, cNo, cSyn, cBr] = measure(
  [
    [ours(big, true), 2_000],
    [ours(big, false), 2_000],
    [synapticRun([8, 32, 32, 4], big.samples, 0.5), 300],
    [brainRun([8, 32, 32, 4], big.samples, 0.5), 1_000],
  ],
  3
)
row('(c) Backprop Lab, every column recorded', c)
row('(c) Backprop Lab, E_tot only', cNo)
row('synaptic', cSyn, c)
row('brain.js', cBr, c)
console.log(`  ratios: recorded vs synaptic ×${(c / cSyn).toFixed(2)}, vs brain.js ×${(c / cBr).toFixed(2)} (target > 1 both)`)

console.log('memory: 1,000,000 recorded epochs of 2-2-2, in a fresh process')
{
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory'], { encoding: 'utf8' })
  process.stdout.write(child.stdout + child.stderr)
}
