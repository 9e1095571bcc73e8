import { neuronName } from '@shared/engine/columns'
import { shapeOf } from '@shared/engine/shape'
import { ACTIVATION_DEFS, ACTIVATIONS } from '@shared/math/activations'

/**
 * Geometry of the network diagram, drawn like the seed's figure: inputs on the left, each layer a
 * column of neurons (net input and activation as two overlapping circles), E_total on the right,
 * every edge labelled with its weight. Pure: numbers in, coordinates out (SVG user units).
 */

export interface NodeBox {
  /** i1, h1, h2_3, o1 */
  id: string
  /** 0 = inputs. */
  layer: number
  /** 0-based within the layer. */
  index: number
  /** 0-based among non-input neurons (the bias index); −1 for inputs. */
  neuron: number
  x: number
  y: number
}

export interface EdgeBox {
  /** 0-based weight index. */
  w: number
  name: string
  from: NodeBox
  to: NodeBox
  x1: number
  y1: number
  x2: number
  y2: number
  /** Centre of the weight's label. */
  lx: number
  ly: number
}

export interface ErrorEdge {
  k: number
  x1: number
  y1: number
  x2: number
  y2: number
  lx: number
  ly: number
}

export interface DiagramGeometry {
  width: number
  height: number
  /** Radius of a neuron's circles. */
  r: number
  /** Horizontal offset of the net circle (−) and activation circle (+) from the neuron's x. */
  split: number
  nodes: NodeBox[][]
  edges: EdgeBox[]
  loss: { x: number; y: number; r: number }
  errorEdges: ErrorEdge[]
  /** Weight labels drawn on the edges; otherwise only on hover (titles) and for the selected edge. */
  showEdgeLabels: boolean
  /** Edge labels carry the weight's name as well as its value (only where there is room). */
  namedLabels: boolean
  /** Net input and activation values written inside the neurons. */
  showValues: boolean
  /** Widest edge stroke: thinner when hundreds of edges share the picture. */
  maxStroke: number
  /** Layer captions along the bottom, and the activation mark above each computed layer. */
  captions: { x: number; text: string }[]
  captionY: number
  activationY: number
}

const MARGIN = 24
/** Label box height and width (for LABEL_FONT-unit text), for the caller's rectangles. */
export const LABEL_H = 20
export const LABEL_FONT = 13
export const labelWidth = (text: string): number => 10 + text.length * LABEL_FONT * 0.56

/** Largest layer that still gets labels on every edge (and the fan of edges between two layers). */
export const LABELLED_LAYER = 3

export function diagramGeometry(layers: readonly number[]): DiagramGeometry {
  const shape = shapeOf(layers)
  const widest = Math.max(...layers)
  const showEdgeLabels = widest <= LABELLED_LAYER
  const rowGap = widest <= 2 ? 110 : widest <= 4 ? 100 : widest <= 8 ? 64 : 40
  const colGap = showEdgeLabels ? 250 : widest <= 8 ? 190 : 160
  const r = Math.min(26, rowGap * 0.3)
  const split = r * 0.5
  const showValues = r >= 24
  const top = MARGIN + 34
  const inner = (widest - 1) * rowGap + 2 * r
  const midY = top + inner / 2
  const x0 = MARGIN + r + split

  const nodes: NodeBox[][] = layers.map((n, l) =>
    Array.from({ length: n }, (_, j) => ({
      id: l === 0 ? `i${j + 1}` : neuronName(shape, l, j),
      layer: l,
      index: j,
      neuron: l === 0 ? -1 : shape.neuronOffset[l] + j,
      x: x0 + l * colGap,
      y: midY + (j - (n - 1) / 2) * rowGap,
    }))
  )

  // Edges leave the activation circle and enter the net circle (inputs have one circle).
  const exitX = (n: NodeBox): number => n.x + (n.layer === 0 ? r : split + r)
  const enterX = (n: NodeBox): number => n.x - split - r
  const edges: EdgeBox[] = []
  for (let l = 1; l < layers.length; l++) {
    const fanIn = layers[l - 1]
    for (let j = 0; j < layers[l]; j++)
      for (let i = 0; i < fanIn; i++) {
        const w = shape.weightOffset[l] + j * fanIn + i
        const from = nodes[l - 1][i]
        const to = nodes[l][j]
        const x1 = exitX(from)
        const x2 = enterX(to) - 4
        // Labels of edges from different sources sit at different distances along the edge, as in
        // the seed's figure, so crossing edges do not stack their labels; never closer to a
        // neuron than a quarter of the edge, so a label does not run into the circles.
        const t = fanIn === 1 ? 0.5 : 0.25 + (0.5 * i) / (fanIn - 1)
        edges.push({
          w,
          name: `w${w + 1}`,
          from,
          to,
          x1,
          y1: from.y,
          x2,
          y2: to.y,
          lx: x1 + t * (x2 - x1),
          ly: from.y + t * (to.y - from.y),
        })
      }
  }

  const lastX = x0 + (layers.length - 1) * colGap
  const loss = { x: lastX + colGap * 0.7, y: midY, r: Math.max(r * 1.3, 22) }
  const errorEdges: ErrorEdge[] = nodes[layers.length - 1].map((o, k) => {
    const x1 = exitX(o)
    const x2 = loss.x - loss.r - 4
    const y2 = loss.y + (k - (layers[layers.length - 1] - 1) / 2) * Math.min(12, loss.r / 2)
    return { k, x1, y1: o.y, x2, y2, lx: (x1 + x2) / 2, ly: (o.y + y2) / 2 }
  })

  const depth = layers.length - 1
  const captions = layers.map((_, l) => ({
    x: x0 + l * colGap,
    text: l === 0 ? 'Inputs' : l === depth ? 'Outputs' : depth === 2 ? 'Hidden layer' : `Hidden layer ${l}`,
  }))
  captions.push({ x: loss.x, text: 'Total error' })
  const bottom = top + inner
  return {
    width: loss.x + loss.r + MARGIN,
    height: bottom + 44,
    r,
    split,
    nodes,
    edges,
    loss,
    errorEdges,
    showEdgeLabels,
    namedLabels: widest <= 2,
    showValues,
    maxStroke: widest <= 4 ? 5 : widest <= 8 ? 2.5 : 1.5,
    captions,
    captionY: bottom + 30,
    activationY: top - 14,
  }
}

/** Stroke width for a weight: thin near zero, `maxStroke` for the largest magnitude on screen. */
export function edgeWidth(w: number, maxAbs: number, maxStroke = 5): number {
  const thinnest = Math.min(0.75, maxStroke / 2)
  if (!(maxAbs > 0) || !Number.isFinite(w)) return thinnest
  return thinnest + (maxStroke - thinnest) * Math.min(1, Math.abs(w) / maxAbs)
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]))
  return m
}

/** The mark of each activation on the diagram's neurons (from its definition). */
export const ACTIVATION_MARK: Record<string, string> = Object.fromEntries(ACTIVATIONS.map((a) => [a, ACTIVATION_DEFS[a].mark]))

/**
 * A sparkline of n values in a width × height box, at most two points per pixel column (the
 * column's minimum and maximum, in the order they occur), so a million epochs cost `width` points.
 */
export function sparkline(
  n: number,
  get: (i: number) => number,
  width: number,
  height: number
): { points: string; min: number; max: number } {
  if (n === 0) return { points: '', min: 0, max: 0 }
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const v = get(i)
    if (Number.isFinite(v)) {
      if (v < min) min = v
      if (v > max) max = v
    }
  }
  if (min === Infinity) return { points: '', min: 0, max: 0 }
  const span = max - min || 1
  const y = (v: number): string => (height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)
  const out: string[] = []
  if (n <= width) {
    const step = n > 1 ? (width - 1) / (n - 1) : 0
    for (let i = 0; i < n; i++) if (Number.isFinite(get(i))) out.push(`${(i * step).toFixed(1)},${y(get(i))}`)
    return { points: out.join(' '), min, max }
  }
  for (let px = 0; px < width; px++) {
    const from = Math.floor((px * n) / width)
    const to = Math.floor(((px + 1) * n) / width)
    let lo = from
    let hi = from
    for (let i = from; i < to; i++) {
      const v = get(i)
      if (!Number.isFinite(v)) continue
      if (!(get(lo) <= v)) lo = i
      if (!(get(hi) >= v)) hi = i
    }
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo]
    if (!Number.isFinite(get(a))) continue
    out.push(`${px},${y(get(a))}`)
    if (b !== a) out.push(`${px},${y(get(b))}`)
  }
  return { points: out.join(' '), min, max }
}
