import { ACTIVATION_DEFS, type Activation } from './math/activations'

/**
 * The heatmaps' colours, as TensorFlow Playground draws them: orange for the low end of a neuron's
 * range, white in the middle, blue for the high end (class 0 orange, class 1 blue for a sigmoid
 * output). Pure (no DOM), so the benchmark times it with the grid.
 */

/** Low and high end of an activation's output; null when it is unbounded (then the grid's own extent is used). */
export function activationRange(activation: Activation): [number, number] | null {
  const [lo, hi] = ACTIVATION_DEFS[activation].range
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null
}

const LOW = [245, 147, 34] // #f59322
const HIGH = [8, 119, 189] // #0877bd
const STEPS = 256
/** RGBA for STEPS evenly spaced points from the low end to the high end. */
const LUT = (() => {
  const lut = new Uint8ClampedArray(STEPS * 4)
  for (let i = 0; i < STEPS; i++) {
    const t = (2 * i) / (STEPS - 1) - 1
    const end = t < 0 ? LOW : HIGH
    const a = Math.abs(t)
    for (let k = 0; k < 3; k++) lut[i * 4 + k] = Math.round(255 + (end[k] - 255) * a)
    lut[i * 4 + 3] = 255
  }
  return lut
})()

/** The colour of `t` ∈ [0, 1] (0 the low end), as CSS, for legends and points. */
export function cssColor(t: number): string {
  const i = Math.round(Math.min(1, Math.max(0, t)) * (STEPS - 1)) * 4
  return `rgb(${LUT[i]}, ${LUT[i + 1]}, ${LUT[i + 2]})`
}

/**
 * The range to colour `values` by: the activation's own, or for an unbounded one ±max |v| (0 stays
 * white, so a ReLU's dead region is visibly dead).
 */
export function rangeOf(values: Float32Array, activation: Activation): [number, number] {
  const fixed = activationRange(activation)
  if (fixed) return fixed
  let m = 0
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i])
    if (a > m) m = a
  }
  return m > 0 && Number.isFinite(m) ? [-m, m] : [-1, 1]
}

/** Writes one RGBA pixel per value into `pixels` (an ImageData's data, values.length × 4 long). NaN is grey. */
export function paint(values: Float32Array, range: [number, number], pixels: Uint8ClampedArray): void {
  const [lo, hi] = range
  const scale = (STEPS - 1) / (hi - lo)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    const p = i * 4
    if (v !== v) {
      pixels[p] = pixels[p + 1] = pixels[p + 2] = 160
      pixels[p + 3] = 255
      continue
    }
    let k = ((v - lo) * scale + 0.5) | 0
    k = k < 0 ? 0 : k >= STEPS ? STEPS - 1 : k
    const c = k * 4
    pixels[p] = LUT[c]
    pixels[p + 1] = LUT[c + 1]
    pixels[p + 2] = LUT[c + 2]
    pixels[p + 3] = 255
  }
}
