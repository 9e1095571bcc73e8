import { LEAKY_SLOPE } from './activations'
import type { Shape } from './shape'
import type { Loss } from './types'

/**
 * For small networks, the epoch's arithmetic written out as straight-line JavaScript — the way
 * synaptic compiles its networks. Loops over two or three neurons cost more than the arithmetic;
 * the compiled kernel removes them. It performs exactly the operations of Network.run(), in the same
 * order, on the same state array, so both give identical bits (checked by tests/shared/properties.test.ts).
 *
 * Only integers from the validated shape and literal constants enter the generated source.
 * Where code generation is not allowed (a page or worker whose CSP forbids eval), or the network is
 * large (the arithmetic then dominates), this returns null and the loops are used.
 */
export type Kernel = (state: Float64Array) => number

export interface KernelSpec {
  shape: Shape
  codes: Int32Array
  hasBias: boolean
  loss: Loss
  sampleCount: number
  at: { weights: number; biases: number; net: number; out: number; err: number; loss: number; gradW: number; gradB: number; inputs: number; targets: number }
}

const MAX_TERMS = 6000

/** f(z) for activation codes 0–4 (softmax, 5, is never compiled); σ written inline as sigmoid() computes it. */
const ACTIVATE = ['(z >= 0 ? 1 / (1 + exp(-z)) : (e = exp(z), e / (1 + e)))', 'tanh(z)', 'z > 0 ? z : 0', `z > 0 ? z : ${LEAKY_SLOPE} * z`, 'z']
/** f'(net) for codes 0–4, parenthesised so it multiplies as one factor, as in the loops. */
const DERIVATIVE = (code: number, net: string, out: string): string =>
  '(' + [`${out} * (1 - ${out})`, `1 - ${out} * ${out}`, `${net} > 0 ? 1 : 0`, `${net} > 0 ? 1 : ${LEAKY_SLOPE}`, '1'][code] + ')'

export function compileKernel(spec: KernelSpec): Kernel | null {
  const { shape, codes, hasBias, loss, sampleCount: S, at } = spec
  const { layers, depth, weightOffset, neuronOffset, weightCount: W, neuronCount: N } = shape
  if (S * (2 * W + 4 * N) > MAX_TERMS || codes.includes(5) || loss === 'softmax-ce') return null
  const K = layers[depth]
  const I = layers[0]
  const src: string[] = []
  const emit = (line: string): number => src.push(line)
  emit('let z, e, sum, total = 0, diff;')
  for (let n = 0; n < N; n++) emit(`let d${n};`)
  for (let k = 0; k < W; k++) emit(`s[${at.gradW + k}] = 0;`)
  for (let k = 0; k < N; k++) emit(`s[${at.gradB + k}] = 0;`)
  for (let smp = 0; smp < S; smp++) {
    const base = smp * N
    // Index in `s` of activation i of layer l for this sample (layer 0: the inputs).
    const a = (l: number, i: number): number => (l === 0 ? at.inputs + smp * I + i : at.out + base + neuronOffset[l] + i)
    const netAt = (l: number, i: number): number => at.net + base + neuronOffset[l] + i
    for (let l = 1; l <= depth; l++) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const row = weightOffset[l] + j * fanIn
        emit('z = 0;')
        for (let i = 0; i < fanIn; i++) emit(`z += s[${at.weights + row + i}] * s[${a(l - 1, i)}];`)
        if (hasBias) emit(`z += s[${at.biases + neuronOffset[l] + j}];`)
        emit(`s[${netAt(l, j)}] = z; s[${a(l, j)}] = ${ACTIVATE[codes[l]]};`)
      }
    }
    // Loss terms of this sample and δ of the output layer, as Network.lossAndOutputDelta.
    emit('sum = 0;')
    const d0 = neuronOffset[depth]
    for (let k = 0; k < K; k++) {
      const t = `s[${at.targets + smp * K + k}]`
      const y = `s[${a(depth, k)}]`
      const e = `s[${at.err + smp * K + k}]`
      if (loss === 'bce') {
        const zz = `s[${netAt(depth, k)}]`
        emit(`${e} = Math.max(${zz}, 0) - ${zz} * ${t} + Math.log1p(Math.exp(-Math.abs(${zz}))); sum += ${e}; d${d0 + k} = ${y} - ${t};`)
      } else {
        const scale = loss === 'mse' ? String(1 / K) : '0.5'
        const g = loss === 'mse' ? `(2 * (${y} - ${t})) / ${K}` : `${y} - ${t}`
        emit(`diff = ${t} - ${y}; ${e} = ${scale} * diff * diff; sum += ${e}; d${d0 + k} = ${g};`)
      }
    }
    if (loss !== 'bce') for (let k = 0; k < K; k++) emit(`d${d0 + k} *= ${DERIVATIVE(codes[depth], `s[${netAt(depth, k)}]`, `s[${a(depth, k)}]`)};`)
    emit('total += sum;')
    for (let l = depth; l >= 1; l--) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const row = weightOffset[l] + j * fanIn
        for (let i = 0; i < fanIn; i++) emit(`s[${at.gradW + row + i}] += d${neuronOffset[l] + j} * s[${a(l - 1, i)}];`)
        emit(`s[${at.gradB + neuronOffset[l] + j}] += d${neuronOffset[l] + j};`)
      }
      if (l === 1) break
      for (let i = 0; i < fanIn; i++) {
        emit('sum = 0;')
        for (let j = 0; j < layers[l]; j++) emit(`sum += s[${at.weights + weightOffset[l] + j * fanIn + i}] * d${neuronOffset[l] + j};`)
        const m = neuronOffset[l - 1] + i
        emit(`d${m} = sum * ${DERIVATIVE(codes[l - 1], `s[${netAt(l - 1, i)}]`, `s[${a(l - 1, i)}]`)};`)
      }
    }
  }
  if (S > 1) {
    for (let k = 0; k < W; k++) emit(`s[${at.gradW + k}] /= ${S};`)
    for (let k = 0; k < N; k++) emit(`s[${at.gradB + k}] /= ${S};`)
  }
  emit(`const loss = ${S === 1 ? 'total' : `total / ${S}`}; s[${at.loss}] = loss; return loss;`)
  return compile(`const exp = Math.exp, tanh = Math.tanh; return function kernel(s) { ${src.join('\n')} }`) as Kernel | null
}

/** Writes one table row: column c, source[index[c]], goes to chunk[at + c·stride]. */
export type RowWriter = (source: Float64Array, chunk: Float64Array, at: number) => void

/**
 * The trainer's recording gather written out for one column layout: twice as fast as looping over
 * the index (1M rows of 31 columns: 110 ms against 210–280 ms), which is half of what recording
 * costs beyond the arithmetic. Null for wide tables, or where code generation is not allowed.
 */
export function compileRowWriter(index: Int32Array, stride: number): RowWriter | null {
  if (index.length > MAX_COLUMNS) return null
  const body = Array.from(index, (from, c) => `chunk[at + ${c * stride}] = source[${from}];`).join('\n')
  return compile(`return function writeRow(source, chunk, at) { ${body} }`) as RowWriter | null
}

const MAX_COLUMNS = 1000

/** Plain gradient descent's step, written out: see compileUpdate. */
export interface Update {
  /** Whether every parameter stays finite after this epoch's step (computed, not applied). */
  finite(state: Float64Array, eta: number): boolean
  /** p ← p − η·∂E/∂p for every trained parameter, as the trainer's loops do it. */
  apply(state: Float64Array, eta: number): void
}

/**
 * For small networks without momentum, the trainer's check and step of every parameter as
 * straight-line code: with a compiled kernel, the loops over eight weights cost as much as the
 * epoch's arithmetic. `params` lists [parameter, gradient] positions in the state array.
 */
export function compileUpdate(params: readonly [number, number][]): Update | null {
  if (params.length > MAX_COLUMNS) return null
  const next = params.map(([p, g]) => `s[${p}] - eta * s[${g}]`)
  // x − x is 0 for a finite x and NaN for ±Infinity or NaN.
  const finite = compile(`return function finite(s, eta) { let x, check = 0;\n${next.map((x) => `x = ${x}; check += x - x;`).join('\n')}\nreturn check === 0 }`)
  const apply = compile(`return function apply(s, eta) {\n${params.map(([p], i) => `s[${p}] = ${next[i]};`).join('\n')}\n}`)
  return finite && apply ? { finite: finite as Update['finite'], apply: apply as Update['apply'] } : null
}

/**
 * The function a generated source returns, or null where code generation is forbidden (a CSP
 * without 'unsafe-eval'): callers then loop. Runs of the same shape (a learning-rate comparison, a
 * re-run) share one function, already optimised.
 */
function compile(source: string): ((...args: never[]) => unknown) | null {
  if (!compiled.has(source)) {
    try {
      compiled.set(source, new Function(source)())
    } catch {
      compiled.set(source, null)
    }
  }
  return compiled.get(source)!
}

const compiled = new Map<string, ((...args: never[]) => unknown) | null>()
