import { LEAKY_SLOPE } from './activations'
import type { Shape } from './shape'
import type { Loss } from './types'

/**
 * For small networks, the epoch's arithmetic written out as straight-line JavaScript — the way
 * synaptic compiles its networks. Loops over two or three neurons cost more than the arithmetic;
 * the compiled kernel removes them. It performs exactly the operations of Network.run(), in the same
 * order, on the same state array, so both give identical bits (checked by tests/shared/kernel.test.ts).
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
  const body = src.join('\n')
  // Runs of the same shape (a learning-rate comparison, a re-run) share one kernel, already optimised.
  if (!compiled.has(body)) {
    try {
      compiled.set(body, new Function(`const exp = Math.exp, tanh = Math.tanh; return function kernel(s) { ${body} }`)() as Kernel)
    } catch {
      compiled.set(body, null) // code generation forbidden here (CSP): the loops do the same work
    }
  }
  return compiled.get(body)!
}

const compiled = new Map<string, Kernel | null>()
