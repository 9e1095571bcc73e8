import type { ColumnLayout } from '../engine/columns'
import { neuronName } from '../engine/columns'
import type { RunConfig } from '../engine/types'
import { walkSteps, type WalkStep } from './steps'

/**
 * The same epoch as matrix operations, with the shapes written out — the bridge to how frameworks
 * write it: z = W·a (+ b), a = f(z); δᴸ = ∂E/∂a ⊙ f′(zᴸ), δˡ = (Wˡ⁺¹)ᵀ·δˡ⁺¹ ⊙ f′(zˡ); ∂E/∂W = δ·aᵀ;
 * W ← W − η·∂E/∂W. The numbers are the walk-through's (one sample; several samples average ∂E/∂W).
 */
export interface Matrix {
  name: string
  rows: number[][]
}

export interface MatrixStep {
  formula: string
  /** (2×2)·(2×1) = (2×1) */
  shapes: string
  matrices: Matrix[]
}

const sup = (n: number): string => String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])

export function matrixSteps(config: RunConfig, layout: ColumnLayout, row: ArrayLike<number>): MatrixStep[] {
  const { layers, depth, weightOffset } = layout.shape
  const index = new Map(layout.names.map((n, i) => [n, i]))
  const value = (name: string): number => row[index.get(name)!]
  const byId = new Map(walkSteps({ config, layout, row }).map((s) => [s.id, s.value]))
  const sfx = layout.sampleCount > 1 ? '_s1' : ''
  const column = (names: string[]): number[][] => names.map((n) => [value(n)])
  const W = (l: number, pick: (name: string) => number): number[][] =>
    Array.from({ length: layers[l] }, (_, j) => Array.from({ length: layers[l - 1] }, (_, i) => pick(`w${weightOffset[l] + j * layers[l - 1] + i + 1}`)))
  const a = (l: number): string[] => Array.from({ length: layers[l] }, (_, j) => (l === 0 ? `i${j + 1}${sfx}` : `out_${neuronName(layout.shape, l, j)}${sfx}`))
  const z = (l: number): string[] => Array.from({ length: layers[l] }, (_, j) => `${neuronName(layout.shape, l, j)}${sfx}`)
  const bias = config.network.bias !== 'none'
  const steps: MatrixStep[] = []
  for (let l = 1; l <= depth; l++) {
    const [n, m] = [layers[l], layers[l - 1]]
    steps.push({
      formula: `z${sup(l)} = W${sup(l)}·a${sup(l - 1)}${bias ? ` + b${sup(l)}` : ''}`,
      shapes: `(${n}×${m})·(${m}×1)${bias ? ` + (${n}×1)` : ''} = (${n}×1)`,
      matrices: [{ name: `W${sup(l)}`, rows: W(l, value) }, { name: `a${sup(l - 1)}`, rows: column(a(l - 1)) }, { name: `z${sup(l)}`, rows: column(z(l)) }],
    })
    steps.push({ formula: `a${sup(l)} = f(z${sup(l)})`, shapes: `(${n}×1)`, matrices: [{ name: `a${sup(l)}`, rows: column(a(l)) }] })
  }
  const delta = (l: number): number[][] => z(l).map((name) => [byId.get(`δ_${name}`) ?? NaN])
  steps.push({ formula: `δ${sup(depth)} = ∂E/∂a${sup(depth)} ⊙ f′(z${sup(depth)})`, shapes: `(${layers[depth]}×1) ⊙ (${layers[depth]}×1) = (${layers[depth]}×1)`, matrices: [{ name: `δ${sup(depth)}`, rows: delta(depth) }] })
  for (let l = depth - 1; l >= 1; l--) {
    const [n, k] = [layers[l], layers[l + 1]]
    steps.push({ formula: `δ${sup(l)} = (W${sup(l + 1)})ᵀ·δ${sup(l + 1)} ⊙ f′(z${sup(l)})`, shapes: `(${n}×${k})·(${k}×1) ⊙ (${n}×1) = (${n}×1)`, matrices: [{ name: `δ${sup(l)}`, rows: delta(l) }] })
  }
  for (let l = depth; l >= 1; l--) {
    const [n, m] = [layers[l], layers[l - 1]]
    steps.push({ formula: `∂E/∂W${sup(l)} = δ${sup(l)}·(a${sup(l - 1)})ᵀ`, shapes: `(${n}×1)·(1×${m}) = (${n}×${m})`, matrices: [{ name: `∂E/∂W${sup(l)}`, rows: W(l, (w) => value(`∂E/∂${w}`)) }] })
  }
  for (let l = 1; l <= depth; l++) {
    const [n, m] = [layers[l], layers[l - 1]]
    steps.push({ formula: `W${sup(l)} ← W${sup(l)} − η·∂E/∂W${sup(l)}`, shapes: `(${n}×${m}) − (${n}×${m})`, matrices: [{ name: `W${sup(l)}′`, rows: W(l, (w) => byId.get(`${w}′`) ?? NaN) }] })
  }
  return steps
}

/**
 * The matrix operation a walk-through step is part of, as an index into matrixSteps(): a neuron's
 * weighted sum is a row of z = W·a, its δ a row of δ, a gradient an entry of ∂E/∂W, an update one of
 * W's. The loss terms have none (null). Relies on matrixSteps' order: z¹ a¹ … zᴸ aᴸ, δᴸ … δ¹,
 * ∂E/∂Wᴸ … ∂E/∂W¹, W¹ … Wᴸ.
 */
export function matrixIndexOf(step: WalkStep, depth: number): number | null {
  const l = step.layer
  switch (step.phase) {
    case 'forward':
      return 2 * (l - 1) + (step.id.startsWith('out_') ? 1 : 0)
    case 'loss':
      return null
    case 'backward':
      return (step.column ? 3 * depth : 2 * depth) + (depth - l)
    case 'update':
      return 4 * depth + (l - 1)
  }
}

