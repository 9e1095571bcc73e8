import { ELEMENTWISE, type Elementwise } from '../math/activations'
import { LOSS_DEFS } from '../math/losses'
import type { NetworkAt } from './network'
import type { Shape } from './shape'
import type { Loss } from './types'

/**
 * For small networks, the epoch's arithmetic written out as straight-line JavaScript — the way
 * synaptic compiles its networks. Loops over two or three neurons cost more than the arithmetic;
 * the compiled kernel removes them. It performs exactly the operations of Network.run(), in the same
 * order, on the same state array, so both give identical bits (checked by tests/shared/properties.test.ts).
 *
 * Only safe integers (checked by `js` as they are pasted, whoever computed them) and this module's
 * own snippets enter the generated source. Where code generation is not allowed (a page or worker
 * whose CSP forbids eval), or the network is large (the arithmetic then dominates), this returns
 * null and the loops are used.
 */
export type Kernel = (state: Float64Array) => number

export interface KernelSpec {
  shape: Shape
  codes: Int32Array
  hasBias: boolean
  loss: Loss
  sampleCount: number
  /** Samples with their own slot of net/out/err; later ones share slot `kept` (see Network). */
  kept: number
  /** Copy every sample's outputs to `at.predictions`. */
  predictions: boolean
  at: NetworkAt
}

const MAX_TERMS = 6000

/**
 * Source text with numbers pasted in: each must be a safe integer (an index, a count), or this
 * throws: a NaN, a fraction or a huge value in generated code would be a bug, never user input,
 * and must not reach new Function. Strings are code fragments built in this module.
 */
export function js(parts: TemplateStringsArray, ...values: (number | string)[]): string {
  let out = parts[0]
  values.forEach((value, i) => {
    if (typeof value === 'number' ? !Number.isSafeInteger(value) : typeof value !== 'string') throw new Error(`kernel source: ${String(value)} is not a safe integer`)
    out += String(value) + parts[i + 1]
  })
  return out
}

export function compileKernel(spec: KernelSpec): Kernel | null {
  const { shape, codes, hasBias, loss, sampleCount: S, kept, predictions, at } = spec
  const { layers, depth, weightOffset, neuronOffset, weightCount: W, neuronCount: N } = shape
  // Each layer's activation and the loss as kernel snippets (src/shared/math); softmax and a loss without one are not compiled.
  const acts = Array.from(codes, (code, l) => (l === 0 ? null : ELEMENTWISE[code]))
  const lossCode = LOSS_DEFS[loss].kernel
  if (S * (2 * W + 4 * N) > MAX_TERMS || acts.some((f, l) => l > 0 && !f) || !lossCode) return null
  const f = (l: number): Elementwise => acts[l]!
  // f'(net), parenthesised so it multiplies as one factor, as in the loops.
  const derivative = (l: number, net: string, out: string): string => '(' + f(l).kernelDerivative(net, out) + ')'
  const K = layers[depth]
  const I = layers[0]
  const src: string[] = []
  const emit = (line: string): number => src.push(line)
  emit('let z, e, diff, sum, total = 0;')
  for (let n = 0; n < N; n++) emit(js`let d${n};`)
  for (let k = 0; k < W; k++) emit(js`s[${at.gradW + k}] = 0;`)
  for (let k = 0; k < N; k++) emit(js`s[${at.gradB + k}] = 0;`)
  for (let smp = 0; smp < S; smp++) {
    const slot = smp < kept ? smp : kept
    const base = slot * N
    // Index in `s` of activation i of layer l for this sample (layer 0: the inputs).
    const a = (l: number, i: number): number => (l === 0 ? at.inputs + smp * I + i : at.out + base + neuronOffset[l] + i)
    const netAt = (l: number, i: number): number => at.net + base + neuronOffset[l] + i
    for (let l = 1; l <= depth; l++) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const row = weightOffset[l] + j * fanIn
        emit('z = 0;')
        for (let i = 0; i < fanIn; i++) emit(js`z += s[${at.weights + row + i}] * s[${a(l - 1, i)}];`)
        if (hasBias) emit(js`z += s[${at.biases + neuronOffset[l] + j}];`)
        emit(js`s[${netAt(l, j)}] = z; s[${a(l, j)}] = ${f(l).kernel};`)
      }
    }
    // Loss terms of this sample and δ of the output layer, as Network.lossAndOutputDelta.
    emit('sum = 0;')
    const d0 = neuronOffset[depth]
    for (let k = 0; k < K; k++) {
      const t = js`s[${at.targets + smp * K + k}]`
      const y = js`s[${a(depth, k)}]`
      const e = js`s[${at.err + slot * K + k}]`
      if (predictions) emit(js`s[${at.predictions + smp * K + k}] = ${y};`)
      emit(js`${e} = ${lossCode.term(t, y, js`s[${netAt(depth, k)}]`, K)}; sum += ${e}; d${d0 + k} = ${lossCode.grad(t, y, K)};`)
    }
    if (LOSS_DEFS[loss].gradient === 'chain') for (let k = 0; k < K; k++) emit(js`d${d0 + k} *= ${derivative(depth, js`s[${netAt(depth, k)}]`, js`s[${a(depth, k)}]`)};`)
    emit('total += sum;')
    for (let l = depth; l >= 1; l--) {
      const fanIn = layers[l - 1]
      for (let j = 0; j < layers[l]; j++) {
        const row = weightOffset[l] + j * fanIn
        for (let i = 0; i < fanIn; i++) emit(js`s[${at.gradW + row + i}] += d${neuronOffset[l] + j} * s[${a(l - 1, i)}];`)
        emit(js`s[${at.gradB + neuronOffset[l] + j}] += d${neuronOffset[l] + j};`)
      }
      if (l === 1) break
      for (let i = 0; i < fanIn; i++) {
        emit('sum = 0;')
        for (let j = 0; j < layers[l]; j++) emit(js`sum += s[${at.weights + weightOffset[l] + j * fanIn + i}] * d${neuronOffset[l] + j};`)
        const m = neuronOffset[l - 1] + i
        emit(js`d${m} = sum * ${derivative(l - 1, js`s[${netAt(l - 1, i)}]`, js`s[${a(l - 1, i)}]`)};`)
      }
    }
  }
  if (S > 1) {
    for (let k = 0; k < W; k++) emit(js`s[${at.gradW + k}] /= ${S};`)
    for (let k = 0; k < N; k++) emit(js`s[${at.gradB + k}] /= ${S};`)
  }
  emit(js`const loss = ${S === 1 ? 'total' : js`total / ${S}`}; s[${at.loss}] = loss; return loss;`)
  return compile(`const exp = Math.exp, tanh = Math.tanh, log1p = Math.log1p; return function kernel(s) { ${src.join('\n')} }`) as Kernel | null
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
  const body = Array.from(index, (from, c) => js`chunk[at + ${c * stride}] = source[${from}];`).join('\n')
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
  const next = params.map(([p, g]) => js`s[${p}] - eta * s[${g}]`)
  // x − x is 0 for a finite x and NaN for ±Infinity or NaN.
  const finite = compile(`return function finite(s, eta) { let x, check = 0;\n${next.map((x) => `x = ${x}; check += x - x;`).join('\n')}\nreturn check === 0 }`)
  const apply = compile(`return function apply(s, eta) {\n${params.map(([p], i) => js`s[${p}] = ${next[i]};`).join('\n')}\n}`)
  return finite && apply ? { finite: finite as Update['finite'], apply: apply as Update['apply'] } : null
}

/**
 * The function a generated source returns, or null where code generation is forbidden (a CSP
 * without 'unsafe-eval', or Node's --disallow-code-generation-from-strings: both throw EvalError):
 * callers then loop. Any other error is a bug in the generated source and is thrown, not turned
 * into a silent slowdown. Runs of the same shape (a learning-rate comparison, a re-run) share one
 * function, already optimised; the cache keeps the most recently used few.
 */
export function compile(source: string): ((...args: never[]) => unknown) | null {
  if (codeGenerationForbidden) return null
  const hit = compiled.get(source)
  if (hit) {
    compiled.delete(source) // re-inserted below: a Map iterates oldest first
    compiled.set(source, hit)
    return hit
  }
  let made: (...args: never[]) => unknown
  try {
    made = new Function(source)()
  } catch (error) {
    if (!(error instanceof EvalError)) throw error
    codeGenerationForbidden = true // a realm's CSP does not change while it runs
    return null
  }
  compiled.set(source, made)
  if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value!)
  return made
}

/** Compiled functions kept: a job's shapes and a few before (each holds its source and machine code). */
export const MAX_COMPILED = 32
const compiled = new Map<string, (...args: never[]) => unknown>()
let codeGenerationForbidden = false

/** How many compiled functions the cache holds (for tests). */
export const compiledCount = (): number => compiled.size
