import { describe, expect, it } from 'vitest'
import { columnLayout, EpochTable, CHUNK_ROWS, optimizerOf, sigmoid, train, Trainer, type RunConfig } from '../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../src/shared/experiment'

const sheet = (): RunConfig => runConfigs(defaultExperiment())[0]

describe('engine behaviour', () => {
  it('sigmoid stays finite and exact at the extremes', () => {
    expect(sigmoid(-1000)).toBe(0)
    expect(sigmoid(1000)).toBe(1)
    expect(sigmoid(0)).toBe(0.5)
    expect(Number.isNaN(sigmoid(-745.2))).toBe(false)
  })

  it('a learning rate that makes training diverge ends the run naming the epoch and the value', () => {
    const config: RunConfig = { ...sheet(), network: { layers: [2, 2, 2], activations: ['linear', 'linear'], bias: 'none' }, learningRate: 50, epochs: 1000 }
    const run = train(config)
    expect(run.stopReason.kind).toBe('diverged')
    const k = run.stopReason.epochs + 1
    expect(run.stopReason.message).toMatch(new RegExp(`^Diverged at epoch ${k}: `))
    expect(run.stopReason.message).toMatch(/Infinity|NaN/)
    // Every epoch before the divergence is kept, and finite.
    expect(run.table!.rowCount).toBe(k - 1)
    expect(run.losses.every(Number.isFinite)).toBe(true)
  })

  it('stops when E_tot falls below the threshold', () => {
    const run = train({ ...sheet(), epochs: 10_000, stopBelow: 0.01 })
    expect(run.stopReason.kind).toBe('threshold')
    const n = run.losses.length
    expect(run.losses[n - 1]).toBeLessThan(0.01)
    expect(run.losses[n - 2]).toBeGreaterThanOrEqual(0.01)
  })

  it('momentum 0 is plain gradient descent to the bit; momentum > 0 changes the path', () => {
    const plain = train(sheet())
    expect(train({ ...sheet(), optimizer: optimizerOf('momentum', { momentum: 0 }) }).losses).toEqual(plain.losses)
    const heavy = train({ ...sheet(), optimizer: optimizerOf('momentum', { momentum: 0.9 }) })
    expect(heavy.losses[0]).toBe(plain.losses[0])
    expect(heavy.losses[1]).toBe(plain.losses[1]) // velocity starts at zero: epoch 2 is the same step
    expect(heavy.losses[69]).not.toBe(plain.losses[69])
  })

  it('several samples: E_tot and gradients are the means over samples', () => {
    const one = sheet()
    const other = { inputs: [0.3, -0.2], targets: [0.7, 0.2] }
    const both = train({ ...one, samples: [one.samples[0], other], epochs: 1 })
    const a = train({ ...one, epochs: 1 })
    const b = train({ ...one, samples: [other], epochs: 1 })
    const names = both.layout.names
    expect(both.losses[0]).toBeCloseTo((a.losses[0] + b.losses[0]) / 2, 15)
    for (let w = 1; w <= 8; w++) {
      const g = (run: typeof a) => run.table!.get(0, run.layout.names.indexOf(`∂E/∂w${w}`))
      expect(both.table!.get(0, names.indexOf(`∂E/∂w${w}`))).toBeCloseTo((g(a) + g(b)) / 2, 15)
    }
    expect(names).toContain('out_o2_s2')
    expect(names.slice(0, 4)).toEqual(['t1_s1', 't2_s1', 't1_s2', 't2_s2'])
  })

  it('names columns of deeper nets with biases by the documented scheme', () => {
    const layout = columnLayout({ layers: [3, 4, 4, 2], activations: ['tanh', 'tanh', 'sigmoid'], bias: 'trained' }, 1)
    const n = layout.names
    expect(n.slice(0, 5)).toEqual(['t1', 't2', 'i1', 'i2', 'i3'])
    const w = (k: number) => `w${k}`
    const layer1 = [...Array.from({ length: 12 }, (_, k) => w(k + 1)), 'b1', 'b2', 'b3', 'b4']
    layer1.push(...[1, 2, 3, 4].flatMap((j) => [`h1_${j}`, `out_h1_${j}`]))
    expect(n.slice(5, 5 + layer1.length)).toEqual(layer1)
    expect(n[5 + layer1.length]).toBe('w13')
    expect(n).toEqual(expect.arrayContaining(['h1_1', 'out_h1_1', 'h2_4', 'out_h2_4', 'o2', 'out_o2', 'E_tot', '∂E/∂w36', '∂E/∂b10']))
    expect(n.filter((x) => x.startsWith('∂E/∂w'))).toHaveLength(3 * 4 + 4 * 4 + 4 * 2)
  })

  it('rejects bad configuration with a message naming the field', () => {
    const cases: [Partial<RunConfig>, RegExp][] = [
      [{ weights: [1, 2, 3] }, /^init\.weights: needs 8 values, got 3/],
      [{ weights: [0.15, NaN, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] }, /^init\.weights\[1\]: must be a finite number/],
      [{ network: { layers: [2, 0, 2], activations: ['sigmoid', 'sigmoid'], bias: 'none' } }, /^network\.layers\[1\]: /],
      [{ network: { layers: [2, 2, 2], activations: ['sigmoid', 'swish' as never], bias: 'none' } }, /^network\.activations\[1\]: unknown activation "swish"/],
      [{ learningRate: 0 }, /^training\.learningRate: must be a finite number > 0/],
      [{ learningRate: -1 }, /^training\.learningRate: /],
      [{ learningRate: Infinity }, /^training\.learningRate: /],
      [{ loss: 'bce', network: { layers: [2, 2, 2], activations: ['sigmoid', 'tanh'], bias: 'none' } }, /^loss: binary cross-entropy needs a sigmoid output/],
      [{ samples: [] }, /^samples: needs at least one sample/],
    ]
    for (const [patch, message] of cases) expect(() => new Trainer({ ...sheet(), ...patch })).toThrow(message)
  })

  it('E_tot is read from the recorded table; a consumer may drop rows it has used without restarting the count', () => {
    const t = new Trainer({ ...sheet(), epochs: 100 })
    t.step(30)
    expect(t.losses.toArray()).toEqual(t.table!.column(t.layout!.lossColumn))
    t.table!.truncate(0) // as the exporters do after writing a block of epochs
    expect(t.epoch).toBe(30)
    t.step()
    expect(t.epoch).toBe(100)
    expect(t.table!.rowCount).toBe(70)
    expect(t.stopReason!.kind).toBe('epochs')
    expect(t.losses.get(69)).toBe(train({ ...sheet(), epochs: 100 }).losses[99])
  })

  it('the epoch table grows in chunks, never copying, and slices across chunk borders', () => {
    const t = new EpochTable(['a', 'b'])
    const n = CHUNK_ROWS * 2 + 5
    const a = Float64Array.from({ length: n }, (_, i) => i)
    const b = Float64Array.from({ length: n }, (_, i) => -i)
    for (let r = 0; r < n; r++) t.appendRow([a[r], b[r]])
    expect(t.rowCount).toBe(n)
    expect(t.column(1, CHUNK_ROWS - 3, CHUNK_ROWS + 3)).toEqual(b.slice(CHUNK_ROWS - 3, CHUNK_ROWS + 3))
    expect(t.get(n - 1, 0)).toBe(n - 1)
    t.truncate(CHUNK_ROWS + 1)
    expect(t.rowCount).toBe(CHUNK_ROWS + 1)
    t.appendRow([7, 8])
    expect(t.row(CHUNK_ROWS + 1)).toEqual(new Float64Array([7, 8]))
  })
  it('keeps inputs and targets once, reads them in every row, and records across chunks as the loops do', () => {
    const config = { ...sheet(), epochs: CHUNK_ROWS * 2 + 10 }
    const fast = new Trainer(config)
    const loops = new Trainer(config, { compile: false })
    fast.step()
    loops.step()
    const { names } = fast.layout!
    expect(fast.table!.stored.length).toBe(names.length - 4) // t1 t2 i1 i2
    const rows = fast.table!.rowCount
    const row = fast.table!.row(rows - 1)
    expect([row[names.indexOf('t1')], row[names.indexOf('i2')]]).toEqual([config.samples[0].targets[0], config.samples[0].inputs[1]])
    expect(fast.table!.column(names.indexOf('i1'), rows - 3)).toEqual(Float64Array.of(0.05, 0.05, 0.05))
    expect(bytes(fast.table!.slice(0, rows)).equals(bytes(loops.table!.slice(0, rows)))).toBe(true) // the same bits in every column
  })

  it('a released chunk holds the next rows instead of new memory', () => {
    let allocated = 0
    const t = new EpochTable(['a', 'b'], { allocate: (n) => (allocated++, new Float64Array(n)), constants: new Map([[1, 7]]) })
    const n = CHUNK_ROWS * 3
    for (let r = 0; r < CHUNK_ROWS * 2; r++) t.appendRow([r, NaN])
    t.releaseBefore(CHUNK_ROWS * 2)
    for (let r = CHUNK_ROWS * 2; r < n; r++) t.appendRow([r, NaN])
    expect(allocated).toBe(2)
    expect(t.column(0, CHUNK_ROWS * 2, n)).toEqual(Float64Array.from({ length: CHUNK_ROWS }, (_, i) => CHUNK_ROWS * 2 + i))
    expect(t.get(n - 1, 1)).toBe(7)
    expect(t.get(0, 0)).toBeNaN() // released rows read NaN, as every missing cell
  })
})

const bytes = (columns: Float64Array[]): Buffer => Buffer.concat(columns.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)))
