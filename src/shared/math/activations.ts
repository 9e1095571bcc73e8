/**
 * Every activation, defined once: its name for people, its range, its value and derivative as the engine
 * computes them, the same arithmetic as a snippet of the compiled kernel, its chain-rule factor and
 * its formula in words (the chain-rule view, the table's tooltips), and its spreadsheet formula (the
 * exported workbook). Nothing else knows what sigmoid is: adding an activation is one entry here
 * (and the tests, which draw their networks from this list).
 *
 * Softmax is the one activation over a whole layer (its outputs are coupled): the network, the
 * chain rule and the workbook each write its layer-wide rule, so its entry holds only its names and range.
 */
import { quantity as q, type Quantity, type Term } from '../formula-terms'
import { cat, type Expr, type Operand } from '../xlsx/expr'

export const LEAKY_SLOPE = 0.01

/** σ(x) without overflow: exp() only ever sees a non-positive argument. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/** An activation applied to each neuron on its own. */
export interface Elementwise {
  /** f(x). */
  value(x: number): number
  /** f'(net), written with the output where the sheet does (σ' = out·(1 − out)). */
  derivative(net: number, out: number): number
  /**
   * The kernel's f(z): a JavaScript expression of `z` (may assign the scratch `e`; `exp`, `tanh`
   * and `log1p` are Math's), with exactly value()'s operations in value()'s order.
   */
  kernel: string
  /** The kernel's f'(net) from the expressions of net and out, with exactly derivative()'s operations. */
  kernelDerivative(net: string, out: string): string
  /** f(x) in words for a column's formula: `1/(1 + e^(−h1))`. */
  text(x: string): string
  /** The chain rule's factor f'(net) after a product (` · out · (1 − out)`); empty when it is 1. `value` is f'(net). */
  chainFactor(net: Quantity, out: Quantity, value: number): Term[]
  /** The spreadsheet's f(net). */
  excel(net: Operand): Expr
  /** The spreadsheet's f'(net), or null when it is 1. */
  excelDerivative(net: Operand, out: Operand): Expr | null
  /**
   * f and f' for a range of samples inside SUMPRODUCT, where MAX and IF do not act sample by sample
   * (a comparison times a value does, exactly: TRUE·x = x, FALSE·x = 0); null where excel and
   * excelDerivative already do.
   */
  excelArray: { value(net: Operand): Expr; derivative(net: Operand, out: Operand): Expr | null } | null
}

export interface ActivationDef {
  /** In the experiment editor's list. */
  label: string
  /** On the network diagram's neurons. */
  mark: string
  /** The lowest and highest value it gives, ±Infinity where it has no bound: which targets it can reach, the heatmaps' scale. */
  range: readonly [number, number]
  /** Null for softmax (layer-wide, see above). */
  elementwise: Elementwise | null
}

const DEFINITIONS = {
  sigmoid: {
    label: 'sigmoid σ',
    mark: 'σ',
    range: [0, 1],
    elementwise: {
      value: sigmoid,
      derivative: (_net, out) => out * (1 - out),
      kernel: '(z >= 0 ? 1 / (1 + exp(-z)) : (e = exp(z), e / (1 + e)))',
      kernelDerivative: (_net, out) => `${out} * (1 - ${out})`,
      text: (x) => `1/(1 + e^(−${x}))`,
      chainFactor: (_net, out) => [' · ', out, ' · (1 − ', out, ')'],
      excel: (net) => cat('1/(1+EXP(-', net, '))'),
      excelDerivative: (_net, out) => cat('(', out, '*(1-', out, '))'),
      excelArray: null,
    },
  },
  tanh: {
    label: 'tanh',
    mark: 'tanh',
    range: [-1, 1],
    elementwise: {
      value: Math.tanh,
      derivative: (_net, out) => 1 - out * out,
      kernel: 'tanh(z)',
      kernelDerivative: (_net, out) => `1 - ${out} * ${out}`,
      text: (x) => `tanh(${x})`,
      chainFactor: (_net, out) => [' · (1 − ', out, '²)'],
      excel: (net) => cat('TANH(', net, ')'),
      excelDerivative: (_net, out) => cat('(1-', out, '^2)'),
      excelArray: null,
    },
  },
  relu: {
    label: 'ReLU',
    mark: 'ReLU',
    range: [0, Infinity],
    elementwise: {
      value: (x) => (x > 0 ? x : 0),
      derivative: (net) => (net > 0 ? 1 : 0),
      kernel: 'z > 0 ? z : 0',
      kernelDerivative: (net) => `${net} > 0 ? 1 : 0`,
      text: (x) => `max(0, ${x})`,
      chainFactor: (net, _out, value) => [' · ', q(`relu′(${net.name})`, value)],
      excel: (net) => cat('MAX(0,', net, ')'),
      excelDerivative: (net) => cat('IF(', net, '>0,1,0)'),
      excelArray: { value: (net) => cat('((', net, '>0)*', net, ')'), derivative: (net) => cat('((', net, '>0)*1)') },
    },
  },
  'leaky-relu': {
    label: 'leaky ReLU',
    mark: 'leaky ReLU',
    range: [-Infinity, Infinity],
    elementwise: {
      value: (x) => (x > 0 ? x : LEAKY_SLOPE * x),
      derivative: (net) => (net > 0 ? 1 : LEAKY_SLOPE),
      kernel: `z > 0 ? z : ${LEAKY_SLOPE} * z`,
      kernelDerivative: (net) => `${net} > 0 ? 1 : ${LEAKY_SLOPE}`,
      text: (x) => `max(${LEAKY_SLOPE}·${x}, ${x})`,
      chainFactor: (net, _out, value) => [' · ', q(`lrelu′(${net.name})`, value)],
      excel: (net) => cat('IF(', net, '>0,', net, `,${LEAKY_SLOPE}*`, net, ')'),
      excelDerivative: (net) => cat('IF(', net, `>0,1,${LEAKY_SLOPE})`),
      excelArray: {
        value: (net) => cat('((', net, '>0)*', net, '+(', net, `<=0)*${LEAKY_SLOPE}*`, net, ')'),
        derivative: (net) => cat('((', net, '>0)+(', net, `<=0)*${LEAKY_SLOPE})`),
      },
    },
  },
  softplus: {
    label: 'softplus',
    mark: 'softplus',
    range: [0, Infinity],
    elementwise: {
      // ln(1 + eˣ) written so exp() never overflows: max(x, 0) + ln(1 + e^(−|x|)). Its derivative is σ(net).
      value: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
      derivative: (net) => sigmoid(net),
      kernel: 'Math.max(z, 0) + log1p(exp(-Math.abs(z)))',
      kernelDerivative: (net) => `(${net} >= 0 ? 1 / (1 + exp(-${net})) : (e = exp(${net}), e / (1 + e)))`,
      text: (x) => `ln(1 + e^${x})`,
      chainFactor: (net, _out, value) => [' · ', q(`σ(${net.name})`, value)],
      excel: (net) => cat('MAX(', net, ',0)+LN(1+EXP(-ABS(', net, ')))'),
      excelDerivative: (net) => cat('(1/(1+EXP(-', net, ')))'),
      excelArray: { value: (net) => cat('(', net, '>0)*', net, '+LN(1+EXP(-ABS(', net, ')))'), derivative: (net) => cat('(1/(1+EXP(-', net, ')))') },
    },
  },
  linear: {
    label: 'linear',
    mark: 'linear',
    range: [-Infinity, Infinity],
    elementwise: {
      value: (x) => x,
      derivative: () => 1,
      kernel: 'z',
      kernelDerivative: () => '1',
      text: (x) => x,
      chainFactor: () => [],
      excel: (net) => cat(net),
      excelDerivative: () => null,
      excelArray: null,
    },
  },
  softmax: { label: 'softmax', mark: 'softmax', range: [0, 1], elementwise: null },
} satisfies Record<string, ActivationDef>

export type Activation = keyof typeof DEFINITIONS
/** Every activation, in the editor's order. */
export const ACTIVATIONS = Object.keys(DEFINITIONS) as Activation[]
export const ACTIVATION_DEFS: Readonly<Record<Activation, ActivationDef>> = DEFINITIONS

/** Small integers for the hot loop (an activation's index in ACTIVATIONS). */
export const ACTIVATION_CODE = Object.fromEntries(ACTIVATIONS.map((a, i) => [a, i])) as Record<Activation, number>
/** The element-wise definition of each code; null for softmax. */
export const ELEMENTWISE: readonly (Elementwise | null)[] = ACTIVATIONS.map((a) => DEFINITIONS[a].elementwise)

export const activate = (kind: Activation, x: number): number => elementwise(kind).value(x)
export const derivative = (kind: Activation, net: number, out: number): number => elementwise(kind).derivative(net, out)

/** The element-wise definition of an activation; softmax has none (it is applied per layer). */
export function elementwise(kind: Activation): Elementwise {
  const def = DEFINITIONS[kind].elementwise
  if (!def) throw new Error(`${kind} is applied to a whole layer, not neuron by neuron`)
  return def
}

/** softmax over z[from, from+n) into y[from, ...], shifted by the maximum so exp() cannot overflow. */
export function softmax(z: Float64Array, y: Float64Array, from: number, n: number): void {
  let max = -Infinity
  for (let k = 0; k < n; k++) max = Math.max(max, z[from + k])
  let sum = 0
  for (let k = 0; k < n; k++) {
    const e = Math.exp(z[from + k] - max)
    y[from + k] = e
    sum += e
  }
  for (let k = 0; k < n; k++) y[from + k] /= sum
}
