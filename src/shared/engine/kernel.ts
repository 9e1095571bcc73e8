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
 * Past a few hundred statements, one sample's code runs in a loop over the samples instead (see
 * UNROLLED_TERMS). A forward-only variant (gradients false) gives E_tot alone.
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

/**
 * Statements of one sample's code (2 a weight, about 4 a neuron) above which nothing is compiled
 * and the loops run. V8's optimising compiler takes superlinear time over a long straight-line
 * function, and until it is done the code runs unoptimised, far slower than the loops: measured here
 * (64 samples, a fresh process, CPU time with the compiler's thread), 2-8-8-1 (244 statements) took
 * about 0.3 s to optimise, 2-16-16-1 (740) about 1.1 s and 8-32-32-4 (3,088) 1.5 s plus 2.4 s for
 * its on-stack replacement, which made 2,000 epochs of it 20 times slower than the loops.
 * 2-8-8-1 itself gains: the spiral's 500 samples, batch 10, run 1.9 times the loops' speed once
 * optimised, and 1,000 epochs from a fresh process take 0.6 s of CPU against 1.0 s.
 */
const MAX_TERMS = 300
/**
 * Statements up to which every sample is written out, above which one sample's code runs in a loop
 * over the samples: a 2-8-8-1 batch of 10 written out (2,440 statements) took 247 µs a call for
 * long, against 11 µs in the plain loops.
 */
const UNROLLED_TERMS = 600

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

export function compileKernel(spec: KernelSpec, gradients = true): Kernel | null {
  const { shape, sampleCount: S, kept, predictions, at } = spec
  const { layers, neuronCount: N } = shape
  const I = layers[0]
  const K = layers[shape.depth]
  const terms = 2 * shape.weightCount + 4 * N
  if (terms > MAX_TERMS || !compilable(spec)) return null
  const src: string[] = []
  const emit = (line: string): number => src.push(line)
  emit('let z, e, diff, sum, total = 0;')
  for (let n = 0; n < N; n++) emit(js`let d${n};`)
  if (gradients) for (let k = 0; k < shape.weightCount; k++) emit(js`s[${at.gradW + k}] = 0;`)
  if (gradients) for (let k = 0; k < N; k++) emit(js`s[${at.gradB + k}] = 0;`)
  if (S * terms <= UNROLLED_TERMS)
    for (let smp = 0; smp < S; smp++) {
      const slot = smp < kept ? smp : kept
      emitSample(spec, emit, gradients, {
        input: (i) => js`${at.inputs + smp * I + i}`,
        net: (n) => js`${at.net + slot * N + n}`,
        out: (n) => js`${at.out + slot * N + n}`,
        target: (k) => js`${at.targets + smp * K + k}`,
        err: (k) => js`${at.err + slot * K + k}`,
        prediction: predictions ? (k) => js`${at.predictions + smp * K + k}` : null,
      })
    }
  else {
    // One sample's code in a loop: x, t its inputs and targets, o, r its slot's neurons and loss terms.
    emit(js`for (let smp = 0; smp < ${S}; smp++) {`)
    emit(js`const x = smp * ${I}, t = smp * ${K}, slot = smp < ${kept} ? smp : ${kept}, o = slot * ${N}, r = slot * ${K};`)
    emitSample(spec, emit, gradients, {
      input: (i) => js`x + ${at.inputs + i}`,
      net: (n) => js`o + ${at.net + n}`,
      out: (n) => js`o + ${at.out + n}`,
      target: (k) => js`t + ${at.targets + k}`,
      err: (k) => js`r + ${at.err + k}`,
      prediction: predictions ? (k) => js`t + ${at.predictions + k}` : null,
    })
    emit('}')
  }
  if (gradients && S > 1) {
    for (let k = 0; k < shape.weightCount; k++) emit(js`s[${at.gradW + k}] /= ${S};`)
    for (let k = 0; k < N; k++) emit(js`s[${at.gradB + k}] /= ${S};`)
  }
  emit(js`const loss = ${S === 1 ? 'total' : js`total / ${S}`}; s[${at.loss}] = loss; return loss;`)
  return compile(`const exp = Math.exp, tanh = Math.tanh, log1p = Math.log1p; return function kernel(s) { ${src.join('\n')} }`) as Kernel | null
}

/** Softmax and a loss without kernel snippets (src/shared/math) are not compiled. */
function compilable({ codes, loss }: KernelSpec): boolean {
  return Array.from(codes).every((code, l) => l === 0 || ELEMENTWISE[code]) && LOSS_DEFS[loss].kernel !== null
}

/** Index expressions, in the state array `s`, of one sample's values (n: a non-input neuron). */
interface SamplePlaces {
  input(i: number): string
  net(n: number): string
  out(n: number): string
  target(k: number): string
  err(k: number): string
  /** Where output k is copied for the accuracy, or null when nobody asked. */
  prediction: ((k: number) => string) | null
}

/** One sample's forward pass, loss terms and (with `gradients`) backward pass: Network.run's operations in its order. */
function emitSample(spec: KernelSpec, emit: (line: string) => void, gradients: boolean, p: SamplePlaces): void {
  const { shape, codes, hasBias, loss, at } = spec
  const { layers, depth, weightOffset, neuronOffset } = shape
  const f = (l: number): Elementwise => ELEMENTWISE[codes[l]]!
  // f'(net), parenthesised so it multiplies as one factor, as in the loops.
  const derivative = (l: number, net: string, out: string): string => '(' + f(l).kernelDerivative(net, out) + ')'
  const lossCode = LOSS_DEFS[loss].kernel!
  const K = layers[depth]
  // Activation i of layer l for this sample (layer 0: the inputs).
  const a = (l: number, i: number): string => (l === 0 ? p.input(i) : p.out(neuronOffset[l] + i))
  for (let l = 1; l <= depth; l++) {
    const fanIn = layers[l - 1]
    for (let j = 0; j < layers[l]; j++) {
      const row = weightOffset[l] + j * fanIn
      emit('z = 0;')
      for (let i = 0; i < fanIn; i++) emit(js`z += s[${at.weights + row + i}] * s[${a(l - 1, i)}];`)
      if (hasBias) emit(js`z += s[${at.biases + neuronOffset[l] + j}];`)
      emit(js`s[${p.net(neuronOffset[l] + j)}] = z; s[${a(l, j)}] = ${f(l).kernel};`)
    }
  }
  // Loss terms of this sample and δ of the output layer, as Network.lossAndOutputDelta.
  emit('sum = 0;')
  const d0 = neuronOffset[depth]
  for (let k = 0; k < K; k++) {
    const t = js`s[${p.target(k)}]`
    const y = js`s[${a(depth, k)}]`
    const e = js`s[${p.err(k)}]`
    if (p.prediction) emit(js`s[${p.prediction(k)}] = ${y};`)
    emit(js`${e} = ${lossCode.term(t, y, js`s[${p.net(d0 + k)}]`, K)}; sum += ${e};`)
    if (gradients) emit(js`d${d0 + k} = ${lossCode.grad(t, y, K)};`)
  }
  emit('total += sum;')
  if (!gradients) return
  if (LOSS_DEFS[loss].gradient === 'chain') for (let k = 0; k < K; k++) emit(js`d${d0 + k} *= ${derivative(depth, js`s[${p.net(d0 + k)}]`, js`s[${a(depth, k)}]`)};`)
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
      emit(js`d${m} = sum * ${derivative(l - 1, js`s[${p.net(m)}]`, js`s[${a(l - 1, i)}]`)};`)
    }
  }
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
