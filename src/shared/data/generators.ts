/**
 * TensorFlow Playground's six data sets (its dataset.ts), drawn from a seeded generator so a
 * seed gives the same points on every run. The shapes, radii, centres and noise rules are
 * Playground's, so the pictures match what learners know; only the labels differ: 0/1 instead
 * of −1/+1 (targets a sigmoid can reach), and each class gets exactly its half of `count`
 * (Playground draws count/2 per class, one too many for an odd count).
 *
 * Coordinates: circle within radius 5, xor within [−5.3, 5.3]², spiral within radius 5 + noise/100,
 * plane and multi-gauss within [−6, 6]²; gauss is normal around (±2, ±2) with variance 0.5 to 4
 * and so unbounded (Playground draws its picture on [−6, 6]² and lets the rare far point fall off).
 *
 * Math.sin/cos/log are used as Playground does. V8 computes them with its own port of fdlibm, so
 * the bits do not depend on the platform's C library: Node, the CLI and the window agree.
 */
export const GENERATORS = ['circle', 'xor', 'gauss', 'spiral', 'plane', 'multi-gauss'] as const
export type Generator = (typeof GENERATORS)[number]

/** Generators whose label is a class (0 or 1); the others give one real number. */
export const CLASSIFICATION_GENERATORS: readonly Generator[] = ['circle', 'xor', 'gauss', 'spiral']
export const isClassification = (generator: Generator): boolean => CLASSIFICATION_GENERATORS.includes(generator)

/** A point of the input plane with its label: 0 or 1 (classification), or a real number (regression). */
export interface Point {
  x1: number
  x2: number
  label: number
}

/** A uniform draw in [0, 1). */
export type Random = () => number

type Draw = (count: number, noise: number, random: Random) => Point[]

const uniform = (random: Random, a: number, b: number): number => random() * (b - a) + a

/** Marsaglia's polar method, as Playground's normalRandom (s = 0 redrawn: log 0 would give NaN). */
function normal(random: Random, mean: number, variance: number): number {
  let v1: number, v2: number, s: number
  do {
    v1 = 2 * random() - 1
    v2 = 2 * random() - 1
    s = v1 * v1 + v2 * v2
  } while (s > 1 || s === 0)
  return mean + Math.sqrt(variance) * Math.sqrt((-2 * Math.log(s)) / s) * v1
}

/** √(a² + b²) as Playground computes it (sqrt is exactly rounded everywhere; Math.hypot need not be). */
const length = (a: number, b: number): number => Math.sqrt(a * a + b * b)

/** The number of points of class 1 and of class 0: count split in two, class 1 taking the odd one. */
const halves = (count: number): [number, number] => [Math.ceil(count / 2), Math.floor(count / 2)]

const circle: Draw = (count, noise, random) => {
  const radius = 5
  const points: Point[] = []
  // Inside radius 2.5 for class 1, in the ring 3.5–5 for class 0; the label is of the noisy point.
  const ring = (n: number, from: number, to: number): void => {
    for (let i = 0; i < n; i++) {
      const r = uniform(random, from, to)
      const angle = uniform(random, 0, 2 * Math.PI)
      const x1 = r * Math.sin(angle)
      const x2 = r * Math.cos(angle)
      const n1 = uniform(random, -radius, radius) * noise
      const n2 = uniform(random, -radius, radius) * noise
      points.push({ x1, x2, label: length(x1 + n1, x2 + n2) < radius * 0.5 ? 1 : 0 })
    }
  }
  const [inside, outside] = halves(count)
  ring(inside, 0, radius * 0.5)
  ring(outside, radius * 0.7, radius)
  return points
}

const xor: Draw = (count, noise, random) => {
  const padding = 0.3 // keeps points off the axes, where the class would be a coin toss
  const points: Point[] = []
  for (let i = 0; i < count; i++) {
    let x1 = uniform(random, -5, 5)
    x1 += x1 > 0 ? padding : -padding
    let x2 = uniform(random, -5, 5)
    x2 += x2 > 0 ? padding : -padding
    const n1 = uniform(random, -5, 5) * noise
    const n2 = uniform(random, -5, 5) * noise
    points.push({ x1, x2, label: (x1 + n1) * (x2 + n2) >= 0 ? 1 : 0 })
  }
  return points
}

const gauss: Draw = (count, noise, random) => {
  // Playground's scale: noise 0 → variance 0.5, noise 0.5 → variance 4.
  const variance = 0.5 + (noise / 0.5) * 3.5
  const points: Point[] = []
  const cloud = (n: number, centre: number, label: number): void => {
    for (let i = 0; i < n; i++) points.push({ x1: normal(random, centre, variance), x2: normal(random, centre, variance), label })
  }
  const [positive, negative] = halves(count)
  cloud(positive, 2, 1)
  cloud(negative, -2, 0)
  return points
}

const spiral: Draw = (count, noise, random) => {
  const points: Point[] = []
  // Two arms of 1.75 turns, radius growing to 5; the second arm is the first turned by π.
  const arm = (n: number, deltaT: number, label: number): void => {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5
      const t = ((1.75 * i) / n) * 2 * Math.PI + deltaT
      const x1 = r * Math.sin(t) + uniform(random, -1, 1) * noise
      const x2 = r * Math.cos(t) + uniform(random, -1, 1) * noise
      points.push({ x1, x2, label })
    }
  }
  const [positive, negative] = halves(count)
  arm(positive, 0, 1)
  arm(negative, Math.PI, 0)
  return points
}

/** Regression on [−6, 6]²: the label is a function of the noisy point. */
const regression =
  (label: (x1: number, x2: number) => number): Draw =>
  (count, noise, random) => {
    const radius = 6
    const points: Point[] = []
    for (let i = 0; i < count; i++) {
      const x1 = uniform(random, -radius, radius)
      const x2 = uniform(random, -radius, radius)
      const n1 = uniform(random, -radius, radius) * noise
      const n2 = uniform(random, -radius, radius) * noise
      points.push({ x1, x2, label: label(x1 + n1, x2 + n2) })
    }
    return points
  }

/** (x1 + x2) scaled from [−10, 10] to [−1, 1] (not clamped: corners and noise reach ±1.2 and beyond). */
const plane = regression((x1, x2) => (x1 + x2) / 10)

/** Six bumps of alternating sign; the label is the bump strongest at the point, 1 − d/2 at distance d < 2. */
const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
]
const multiGauss = regression((x1, x2) => {
  let label = 0
  for (const [c1, c2, sign] of BUMPS) {
    const value = sign * Math.max(0, 1 - length(x1 - c1, x2 - c2) / 2)
    if (Math.abs(value) > Math.abs(label)) label = value
  }
  return label
})

const DRAW: Record<Generator, Draw> = { circle, xor, gauss, spiral, plane, 'multi-gauss': multiGauss }

/** `count` points of `generator` with `noise` percent (0–50) of noise, from `random`. */
export function generatePoints(generator: Generator, count: number, noisePercent: number, random: Random): Point[] {
  return DRAW[generator](count, noisePercent / 100, random)
}
