/**
 * The likely mistake behind a first mismatch: the cell is recomputed with the slips students make
 * (a wrong weight on a hidden-layer path, σ(h) where σ(o) belongs, a sign error, a missing ½, a
 * different η, …) from the row's correct values; the first slip that reproduces the student's number
 * is the guess. Only for the one-hidden-layer sigmoid network with ½·Σ(t − out)², the classic sheet.
 */
export interface SlipContext {
  /** The engine's value of a column (the app's name) at the mismatching epoch, and at the one before. */
  value(name: string): number
  previous(name: string): number
  inputs: number
  hidden: number
  outputs: number
  learningRate: number
  /** The student's number in a column of the mismatching row (NaN where the sheet has none). */
  found(name: string): number
  /** Does a candidate reproduce the student's number (the table's tolerance)? */
  matches(candidate: number): boolean
}

interface Slip {
  value: number
  why: string
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x))
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

export function likelyMistake(column: string, c: SlipContext): string | null {
  const found = slips(column, c).find((s) => Number.isFinite(s.value) && c.matches(s.value))
  return found?.why ?? null
}

function slips(column: string, c: SlipContext): Slip[] {
  const { value: v, inputs: I, hidden: H, outputs: K } = c
  const hiddenWeight = (j: number, i: number): number => j * I + i // 0-based index, w1 = 0
  const outputWeight = (k: number, j: number): number => I * H + k * H + j
  const w = (index: number): number => v(`w${index + 1}`)
  const x = (i: number): number => v(`i${i + 1}`)
  const oh = (j: number): number => v(`out_h${j + 1}`)
  const oo = (k: number): number => v(`out_o${k + 1}`)
  const t = (k: number): number => v(`t${k + 1}`)
  const dsig = (a: number): number => a * (1 - a)
  const deltaOut = (k: number, slope = dsig(oo(k))): number => (oo(k) - t(k)) * slope
  const out: Slip[] = []
  const add = (value: number, why: string): void => void out.push({ value, why })
  const expected = v(column)
  const generic = (): void => {
    add(-expected, `a sign error: (t − out) where (out − t) belongs`)
    add(2 * expected, 'a missing ½: the value is twice the right one')
    add(expected / 2, 'an extra ½: the value is half the right one')
  }

  let m: RegExpExecArray | null
  if ((m = /^∂E\/∂w(\d+)$/.exec(column))) {
    const index = Number(m[1]) - 1
    if (index < I * H) {
      const j = Math.floor(index / I)
      const i = index % I
      const back = (weight: (k: number) => number, slope: (k: number) => number = (k) => dsig(oo(k))): number =>
        range(K).reduce((s, k) => s + deltaOut(k, slope(k)) * weight(k), 0)
      const grad = (sum: number, a = oh(j), input = x(i)): number => sum * dsig(a) * input
      for (const k of range(K))
        for (let u = I * H; u < I * H + K * H; u++) {
          if (u === outputWeight(k, j)) continue
          add(grad(back((kk) => (kk === k ? w(u) : w(outputWeight(kk, j))))), `a wrong weight in a hidden-layer gradient: w${u + 1} where w${outputWeight(k, j) + 1} belongs`)
        }
      const right = back((k) => w(outputWeight(k, j)))
      if (j < K) add(grad(right, oo(j)), `σ(o) where σ(h) belongs: out_o${j + 1}·(1 − out_o${j + 1}) in place of out_h${j + 1}·(1 − out_h${j + 1})`)
      add(grad(back((k) => w(outputWeight(k, j)), (k) => (k < H ? dsig(oh(k)) : NaN))), 'σ(h) where σ(o) belongs: out_h·(1 − out_h) in the output neurons’ slope')
      for (const ii of range(I)) if (ii !== i) add(grad(right, oh(j), x(ii)), `a wrong input: i${ii + 1} where i${i + 1} belongs`)
      for (const jj of range(H)) if (jj !== j) add(grad(right, oh(jj)), `a wrong hidden neuron: out_h${jj + 1}·(1 − out_h${jj + 1}) where out_h${j + 1}·(1 − out_h${j + 1}) belongs`)
      if (K > 1) {
        const paths = range(K).map((k) => deltaOut(k) * w(outputWeight(k, j)))
        const last = paths.pop()!
        add(paths.reduce((a, b) => a + b, 0) + grad(last), `missing parentheses: only the last path is multiplied by out_h${j + 1}·(1 − out_h${j + 1})·i${i + 1}`)
      }
      for (const k of range(K)) if (K > 1) add(grad(deltaOut(k) * w(outputWeight(k, j))), `only the path through o${k + 1}: the other outputs’ terms are missing`)
    } else {
      const k = Math.floor((index - I * H) / H)
      const j = (index - I * H) % H
      add(deltaOut(k, dsig(oh(j))) * oh(j), `σ(h) where σ(o) belongs: out_h${j + 1}·(1 − out_h${j + 1}) in place of out_o${k + 1}·(1 − out_o${k + 1})`)
      if (k < H && k !== j) add(deltaOut(k, dsig(oh(k))) * oh(j), `σ(h) where σ(o) belongs: out_h${k + 1}·(1 − out_h${k + 1}) in place of out_o${k + 1}·(1 − out_o${k + 1})`)
      for (const jj of range(H)) if (jj !== j) add(deltaOut(k) * oh(jj), `a wrong hidden neuron: out_h${jj + 1} where out_h${j + 1} belongs`)
      for (const kk of range(K)) if (kk !== k) add(deltaOut(kk) * oh(j), `a wrong output: out_o${kk + 1} where out_o${k + 1} belongs`)
    }
    generic()
  } else if ((m = /^w(\d+)$/.exec(column))) {
    const name = column
    const before = c.previous(name)
    const grad = c.previous(`∂E/∂${name}`)
    const eta = c.learningRate
    // A different η explains every weight of the row at once; check it first, since with i2 = 2·i1
    // one weight's step can also pass for another gradient's.
    const implied = grad !== 0 ? (before - c.found(name)) / grad : NaN
    const plain = Number(implied.toPrecision(3))
    const weights = range(I * H + K * H).map((u) => `w${u + 1}`)
    const fitsRow = weights.every((wn) => {
      const f = c.found(wn)
      const x = c.previous(wn) - plain * c.previous(`∂E/∂${wn}`)
      return Number.isNaN(f) || Math.abs(f - x) <= 1e-6 * Math.max(Math.abs(x), 1e-9)
    })
    if (plain > 0 && Math.abs(plain - eta) > 1e-9 * eta && fitsRow)
      add(before - plain * grad, `a different η from the one stated: the update uses η = ${plain}, the sheet states ${eta}`)
    add(before + eta * grad, `a sign error in the update: ${name} + η·∂E/∂${name} where ${name} − η·∂E/∂${name} belongs`)
    add(before, `the weight is not updated: the row above’s ${name} is carried down`)
    for (const other of weights)
      if (other !== name) add(before - eta * c.previous(`∂E/∂${other}`), `a wrong gradient in the update: ∂E/∂${other} where ∂E/∂${name} belongs`)
  } else if ((m = /^([ho])(\d+)$/.exec(column))) {
    const layer = m[1]
    const n = Number(m[2]) - 1
    const fanIn = layer === 'h' ? I : H
    const a = (q: number): number => (layer === 'h' ? x(q) : oh(q))
    const weightOf = (q: number): number => (layer === 'h' ? hiddenWeight(n, q) : outputWeight(n, q))
    const sum = (weight: (q: number) => number, act: (q: number) => number = a): number => range(fanIn).reduce((s, q) => s + act(q) * weight(q), 0)
    const first = layer === 'h' ? 0 : I * H
    const count = layer === 'h' ? I * H : K * H
    for (const q of range(fanIn))
      for (let u = first; u < first + count; u++)
        if (u !== weightOf(q)) add(sum((qq) => w(qq === q ? u : weightOf(qq))), `a wrong weight: w${u + 1} where w${weightOf(q) + 1} belongs`)
    if (layer === 'o') add(sum((q) => w(weightOf(q)), (q) => v(`h${q + 1}`)), 'h where out_h belongs: the hidden activation is missing')
  } else if ((m = /^out_([ho])(\d+)$/.exec(column))) {
    const n = Number(m[2]) - 1
    const net = v(`${m[1]}${n + 1}`)
    if (m[1] === 'o') for (const j of range(H)) add(oh(j), `σ(h) where σ(o) belongs: out_h${j + 1} in place of σ(o${n + 1})`)
    add(net, `the activation is missing: ${m[1]}${n + 1} where σ(${m[1]}${n + 1}) belongs`)
    add(sig(-net), 'a sign error: σ(−net) where σ(net) belongs')
  } else if ((m = /^E(\d+)$/.exec(column))) {
    const k = Number(m[1]) - 1
    add(2 * expected, 'a missing ½: (t − out)² where ½·(t − out)² belongs')
    add(0.5 * (t(k) - v(`o${k + 1}`)) ** 2, `o${k + 1} where out_o${k + 1} belongs`)
    for (const j of range(H)) add(0.5 * (t(k) - oh(j)) ** 2, `σ(h) where σ(o) belongs: out_h${j + 1} in place of out_o${k + 1}`)
  } else if (column === 'E_tot') {
    add(2 * expected, 'a missing ½: the terms are (t − out)² where ½·(t − out)² belongs')
    for (const k of range(K)) if (K > 1) add(expected - v(`E${k + 1}`), `E${k + 1} is left out of the sum`)
  }
  return out
}
