import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/shared/engine/random'
import { GENERATORS, generatePoints, isClassification, type Generator, type Point } from '../../../src/shared/data/generators'

const draw = (g: Generator, count: number, noise: number, seed = 7): Point[] => generatePoints(g, count, noise, seededRandom(seed))
const radius = (p: Point) => Math.sqrt(p.x1 * p.x1 + p.x2 * p.x2)
const classes = ['circle', 'xor', 'gauss', 'spiral'] as const
const ones = (ps: Point[]) => ps.filter((p) => p.label === 1).length

describe('generators: deterministic for a seed', () => {
  it.each(GENERATORS)('%s gives the same bits for the same seed, other points for another', (g) => {
    const a = draw(g, 500, 20, 42)
    expect(draw(g, 500, 20, 42)).toStrictEqual(a)
    expect(a.every((p) => Number.isFinite(p.x1) && Number.isFinite(p.x2) && Number.isFinite(p.label))).toBe(true)
    expect(draw(g, 500, 20, 43)).not.toStrictEqual(a)
  })

  it.each(GENERATORS)('%s draws exactly count points, even and odd, 10 to 2000', (g) => {
    for (const count of [10, 11, 999, 2000]) expect(draw(g, count, 30)).toHaveLength(count)
  })
})

describe('generators: classification labels', () => {
  it.each(classes)('%s labels are 0 or 1', (g) => {
    expect(isClassification(g)).toBe(true)
    expect(draw(g, 400, 50).every((p) => p.label === 0 || p.label === 1)).toBe(true)
  })

  it.each(['circle', 'gauss', 'spiral'] as const)('%s at noise 0: class 1 gets the odd point, the classes are halves', (g) => {
    expect(ones(draw(g, 11, 0))).toBe(6)
    expect(ones(draw(g, 2000, 0))).toBe(1000)
  })

  it('xor is about balanced (uniform quadrants): 2000 points at noise 0 give 40–60 % of class 1', () => {
    const n = ones(draw('xor', 2000, 0))
    expect(n).toBeGreaterThan(800)
    expect(n).toBeLessThan(1200)
  })

  it('at noise 0 the label is the geometry: circle inside radius 2.5, xor by the sign of x1·x2', () => {
    expect(draw('circle', 1000, 0).every((p) => p.label === (radius(p) < 2.5 ? 1 : 0))).toBe(true)
    expect(draw('xor', 1000, 0).every((p) => p.label === (p.x1 * p.x2 >= 0 ? 1 : 0))).toBe(true)
  })

  it('noise moves the label point (circle, xor: Playground keeps the drawn point and flips labels)', () => {
    const wrong = (ps: Point[], truth: (p: Point) => number) => ps.filter((p) => p.label !== truth(p)).length
    const circleTruth = (p: Point) => (radius(p) < 2.5 ? 1 : 0)
    const xorTruth = (p: Point) => (p.x1 * p.x2 >= 0 ? 1 : 0)
    expect(wrong(draw('circle', 1000, 50), circleTruth)).toBeGreaterThan(50)
    expect(wrong(draw('xor', 1000, 50), xorTruth)).toBeGreaterThan(50)
    // The points themselves do not depend on the noise (the noise draws come after them).
    expect(draw('circle', 300, 50).map((p) => [p.x1, p.x2])).toStrictEqual(draw('circle', 300, 0).map((p) => [p.x1, p.x2]))
  })
})

describe('generators: coordinates within Playground ranges', () => {
  it('circle: class 1 within radius 2.5, class 0 in the ring 3.5–5, whatever the noise', () => {
    const ps = draw('circle', 2000, 50)
    expect(ps.slice(0, 1000).every((p) => radius(p) <= 2.5)).toBe(true)
    expect(ps.slice(1000).every((p) => radius(p) >= 3.5 - 1e-12 && radius(p) <= 5 + 1e-12)).toBe(true)
  })

  it('xor: each coordinate 0.3 to 5.3 from the axis', () => {
    expect(draw('xor', 2000, 50).every((p) => [p.x1, p.x2].every((x) => Math.abs(x) >= 0.3 && Math.abs(x) <= 5.3))).toBe(true)
  })

  it('spiral: radius at most 5 plus the noise (each coordinate moves ≤ noise/100)', () => {
    expect(draw('spiral', 2000, 0).every((p) => radius(p) <= 5)).toBe(true)
    expect(draw('spiral', 2000, 50).every((p) => radius(p) <= 5 + 0.5 * Math.SQRT2)).toBe(true)
  })

  it.each(['plane', 'multi-gauss'] as const)('%s: points in [−6, 6]²', (g) => {
    expect(isClassification(g)).toBe(false)
    expect(draw(g, 2000, 50).every((p) => Math.abs(p.x1) <= 6 && Math.abs(p.x2) <= 6)).toBe(true)
  })

  it('gauss: centred on (2, 2) and (−2, −2), variance 0.5 at noise 0 and 4 at noise 50', () => {
    for (const [noise, variance] of [
      [0, 0.5],
      [50, 4],
    ]) {
      const ps = draw('gauss', 2000, noise)
      for (const [cls, centre] of [
        [1, 2],
        [0, -2],
      ]) {
        const xs = ps.filter((p) => p.label === cls).flatMap((p) => [p.x1, p.x2])
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length
        const spread = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length
        expect(Math.abs(mean - centre)).toBeLessThan(0.2)
        expect(spread / variance).toBeGreaterThan(0.85)
        expect(spread / variance).toBeLessThan(1.15)
      }
    }
  })
})

describe('generators: regression targets', () => {
  it('plane at noise 0 is (x1 + x2) / 10 exactly', () => {
    expect(draw('plane', 500, 0).every((p) => p.label === (p.x1 + p.x2) / 10)).toBe(true)
  })

  it('multi-gauss labels lie in [−1, 1], take both signs, and are 0 far from every bump', () => {
    const ps = draw('multi-gauss', 2000, 0)
    expect(ps.every((p) => p.label >= -1 && p.label <= 1)).toBe(true)
    expect(ps.some((p) => p.label > 0.5) && ps.some((p) => p.label < -0.5)).toBe(true)
    // (0, 0) is 2.5 from the nearest bump centre: beyond the radius 2 of every bump.
    const origin = ps.filter((p) => radius(p) < 0.4)
    expect(origin.length).toBeGreaterThan(0)
    expect(origin.every((p) => p.label === 0)).toBe(true)
  })
})

describe("generators: Playground's formulas, with a scripted random", () => {
  const constant = (x: number) => () => x
  it('circle: r = U(0, 2.5), angle = U(0, 2π), x1 = r sin, x2 = r cos', () => {
    const [p] = generatePoints('circle', 2, 0, constant(0.5))
    expect(p).toStrictEqual({ x1: 1.25 * Math.sin(Math.PI), x2: 1.25 * Math.cos(Math.PI), label: 1 })
  })
  it('xor: U(−5, 5) pushed 0.3 away from the axis', () => {
    expect(generatePoints('xor', 1, 0, constant(0.75))[0]).toStrictEqual({ x1: 2.8, x2: 2.8, label: 1 })
    expect(generatePoints('xor', 1, 0, constant(0.25))[0]).toStrictEqual({ x1: -2.8, x2: -2.8, label: 1 })
  })
  it('gauss: the polar method around (2, 2)', () => {
    const seq = [0.75, 0.5]
    let i = 0
    const [p] = generatePoints('gauss', 1, 0, () => seq[i++ % 2])
    const expected = 2 + Math.sqrt(0.5) * Math.sqrt((-2 * Math.log(0.25)) / 0.25) * 0.5
    expect(p).toStrictEqual({ x1: expected, x2: expected, label: 1 })
  })
  it('spiral: point i of n at radius 5i/n, angle 3.5πi/n (+π for class 0)', () => {
    const ps = generatePoints('spiral', 8, 0, constant(0.5))
    const t = ((1.75 * 1) / 4) * 2 * Math.PI
    expect(ps[1]).toStrictEqual({ x1: 1.25 * Math.sin(t), x2: 1.25 * Math.cos(t), label: 1 })
    expect(ps[5]).toStrictEqual({ x1: 1.25 * Math.sin(t + Math.PI), x2: 1.25 * Math.cos(t + Math.PI), label: 0 })
  })
})
