import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ACTIVATIONS, BIAS_MODES, LOSSES } from '../../../src/shared/engine'
import { parseExperiment, runConfigs } from '../../../src/shared/experiment'
import { FEATURES } from '../../../src/shared/data/features'
import { GENERATORS, isClassification } from '../../../src/shared/data/generators'
import { LIMITS } from '../../../src/shared/limits'
import { documentFromRuns, parseDocumentText, serializeDocument, type ParsedDocument } from '../../../src/shared/document'
import { experimentOf } from '../../fixtures/experiments'
import { fixture } from '../../fixtures/read'
import { trained } from './parsed'
import { retrainAndCheck } from './retrain'

/**
 * Random and mutated files through the validator: it never throws, and every answer is either a
 * document the engine accepts or one line that names a field and says what is wrong.
 */
const fixtures = ['v1-sheet.json', 'v1-seeded-extras.json', 'v2-sheet.bplab', 'v2-seeded-tanh.bplab'].map(fixture)

let cases = 0
let accepted = 0
afterAll(() => console.log(`document property cases run: ${cases} (${accepted} accepted, ${cases - accepted} refused with a message)`))

function checkAnswer(text: string): ParsedDocument {
  cases++
  let p: ParsedDocument
  try {
    p = parseDocumentText(text)
  } catch (e) {
    throw new Error(`parseDocumentText threw ${String(e)} for ${text.slice(0, 200)}`)
  }
  if (p.ok) {
    accepted++
    // Valid means valid for the engine too: the configuration re-validates and yields run configs.
    const again = parseExperiment(p.value.experiment)
    if (!again.ok) throw new Error(`accepted a file its own configuration check refuses: ${again.error}`)
    expect(runConfigs(p.value.experiment)).toHaveLength(p.value.experiment.training.learningRates.length)
  } else {
    const e = p.error
    expect(typeof e).toBe('string')
    expect(e).not.toMatch(/\n|\[object Object\]|undefined/)
    // "field: problem" with both parts present.
    expect(e).toMatch(/^[^:\s][^:]*: \S/)
    expect(e.length).toBeLessThan(400)
  }
  return p
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Paths to every value in a JSON tree. */
function paths(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at)
  if (Array.isArray(value)) value.slice(0, 12).forEach((x, i) => paths(x, [...at, i], out))
  else if (value !== null && typeof value === 'object') for (const [k, x] of Object.entries(value)) paths(x, [...at, k], out)
  return out
}

function setAt(root: Json, path: (string | number)[], replace: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return replace(root) ?? null
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string], root) as Record<string, Json>
  const key = path[path.length - 1] as string
  const next = replace(parent[key])
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1)
    else delete parent[key]
  } else parent[key] = next
  return root
}

const mutation = fc.oneof(
  fc.constant<(old: Json) => Json | undefined>(() => undefined),
  fc.jsonValue({ maxDepth: 3 }).map((x) => () => x as Json),
  fc.constantFrom<(old: Json) => Json | undefined>(
    () => 0,
    () => -1,
    () => 1e308 * 10,
    () => 10001,
    () => '',
    () => [],
    () => ({}),
    () => null,
    (old) => (typeof old === 'number' ? -old : old),
    (old) => (typeof old === 'number' ? old + 1 : old),
    (old) => (Array.isArray(old) ? [...old, ...old] : old),
    (old) => (Array.isArray(old) ? old.slice(1) : old),
    (old) => (typeof old === 'number' ? String(old) : old),
    (old) => (Array.isArray(old) ? Array(10000).fill(old[0] ?? 1) : old)
  )
)

describe('the validator under random and mutated files', () => {
  it('random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (x) => void checkAnswer(JSON.stringify(x))),
      { numRuns: 2500 }
    )
  })

  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void checkAnswer(s)),
      { numRuns: 1500 }
    )
  })

  it('random objects that look like experiment files', () => {
    const looksLike = fc.record({
      format: fc.constantFrom('backprop-lab.experiment', 'other'),
      version: fc.constantFrom(1, 2, 3, 0, 1.5, '2'),
      network: fc.record({
        layers: fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 5 }),
        activations: fc.array(fc.constantFrom(...ACTIVATIONS, 'gelu'), { maxLength: 5 }),
        bias: fc.constantFrom(...BIAS_MODES, 'some'),
      }),
      loss: fc.constantFrom(...LOSSES),
      samples: fc.array(
        fc.record({
          inputs: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 }),
          targets: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        }),
        { maxLength: 3 }
      ),
      init: fc.oneof(
        fc.record({ seed: fc.integer({ min: -1, max: 100 }), scheme: fc.constantFrom('xavier', 'he', 'uniform', 'zeros') }),
        fc.record({ weights: fc.array(fc.double({ min: -1, max: 1 }), { maxLength: 40 }) })
      ),
      training: fc.record({
        learningRates: fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { maxLength: 3 }),
        epochs: fc.integer({ min: -1, max: 30 }),
      }),
      results: fc.constantFrom(undefined, [], [{}], 'none'),
    })
    fc.assert(
      fc.property(looksLike, (x) => void checkAnswer(JSON.stringify(x))),
      { numRuns: 2500 }
    )
  })

  it('valid files mutated at one random place', () => {
    const parsed = fixtures.map((t) => JSON.parse(t) as Json)
    const places = parsed.map((p) => paths(p))
    const mutant = fc
      .integer({ min: 0, max: fixtures.length - 1 })
      .chain((f) => fc.tuple(fc.constant(f), fc.integer({ min: 0, max: places[f].length - 1 }), mutation))
    fc.assert(
      fc.property(mutant, ([f, place, change]) => {
        const copy = JSON.parse(fixtures[f]) as Json
        const p = checkAnswer(JSON.stringify(setAt(copy, places[f][place], change)))
        // Whatever was accepted saves and reopens to the same document.
        if (p.ok) {
          const back = parseDocumentText(serializeDocument(p.value))
          expect(back.ok && back.value.experiment).toEqual(p.value.experiment)
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('valid files cut short or with a character changed', () => {
    const edit = fc.tuple(
      fc.integer({ min: 0, max: fixtures.length - 1 }),
      fc.nat(),
      fc.constantFrom('', '"', '{', ']', ',', 'N', 'NaN', '-', 'e9', '\\', '\u0000'),
      fc.boolean()
    )
    fc.assert(
      fc.property(edit, ([f, at, insert, cut]) => {
        const text = fixtures[f]
        const i = at % text.length
        checkAnswer(cut ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i + 1))
      }),
      { numRuns: 1500 }
    )
  })

  it('random valid experiments, trained: save and open give the same document, results checked bit for bit', () => {
    const net = fc.integer({ min: 2, max: 4 }).chain((depth) =>
      fc.record({
        layers: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: depth, maxLength: depth }),
        hidden: fc.constantFrom('sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear'),
        output: fc.constantFrom('sigmoid', 'tanh', 'linear'),
        bias: fc.constantFrom(...BIAS_MODES),
        loss: fc.constantFrom('half-sse', 'mse'),
        seed: fc.nat({ max: 2 ** 32 - 1 }),
        scheme: fc.constantFrom('xavier', 'he', 'uniform'),
        rates: fc.array(fc.double({ min: 0.001, max: 3, noNaN: true }), { minLength: 1, maxLength: 3 }),
        epochs: fc.integer({ min: 1, max: 40 }),
        momentum: fc.constantFrom(0, 0.5, 0.9),
        notes: fc.string({ maxLength: 30 }),
        data: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 24, maxLength: 24 }),
      })
    )
    fc.assert(
      fc.property(net, (n) => {
        const I = n.layers[0]
        const K = n.layers[n.layers.length - 1]
        const exp = experimentOf({
          network: { layers: n.layers, activations: [...Array(n.layers.length - 2).fill(n.hidden), n.output], bias: n.bias },
          loss: n.loss,
          samples: [0, 1].map((s) => ({ inputs: n.data.slice(s * 12, s * 12 + I), targets: n.data.slice(s * 12 + 6, s * 12 + 6 + K) })),
          init: { seed: n.seed, scheme: n.scheme },
          training: {
            learningRates: n.rates,
            epochs: n.epochs,
            optimizer: n.momentum ? { kind: 'momentum', momentum: n.momentum } : { kind: 'sgd' },
          },
        })
        const runs = trained(exp)
        const text = serializeDocument(documentFromRuns(exp, runs, { notes: n.notes }))
        const back = checkAnswer(text)
        if (!back.ok) throw new Error(back.error)
        expect(back.value.experiment).toEqual(exp)
        expect(back.value.notes).toBe(n.notes)
        expect(back.value.results.map((r) => Array.from(r.losses))).toEqual(runs.map((r) => Array.from(r.losses)))
        expect(retrainAndCheck(back.value)).toEqual([])
      }),
      { numRuns: 1000 }
    )
  })

  it('random generated data with random features, trained: the file holds the spec only, and opens to the same samples and results', () => {
    const spec = fc.record({
      generator: fc.constantFrom(...GENERATORS),
      count: fc.integer({ min: LIMITS.minDataCount, max: 200 }),
      noise: fc.double({ min: 0, max: LIMITS.maxNoise, noNaN: true }),
      seed: fc.nat({ max: 2 ** 32 - 1 }),
      testFraction: fc.double({ min: 0, max: LIMITS.maxTestFraction, noNaN: true }),
      features: fc.option(fc.subarray([...FEATURES], { minLength: 1 }), { nil: undefined }),
      hidden: fc.integer({ min: 1, max: 4 }),
      oneHot: fc.boolean(),
      epochs: fc.integer({ min: 1, max: 15 }),
    })
    fc.assert(
      fc.property(spec, (n) => {
        const { features, hidden, oneHot, epochs, ...data } = n
        const outputs = oneHot && isClassification(data.generator) ? 2 : 1
        const exp = experimentOf({
          network: {
            layers: [features?.length ?? 2, hidden, outputs],
            activations: ['tanh', outputs === 2 ? 'softmax' : 'linear'],
            bias: 'trained',
          },
          loss: outputs === 2 ? 'softmax-ce' : 'mse',
          data,
          ...(features ? { features } : {}),
          init: { seed: data.seed, scheme: 'xavier' },
          training: { learningRates: [0.1], epochs },
        })
        expect(exp.samples.length + exp.test.length).toBe(data.count)
        const runs = trained(exp)
        const text = serializeDocument(documentFromRuns(exp, runs))
        expect(JSON.parse(text).samples).toBeUndefined()
        const back = checkAnswer(text)
        if (!back.ok) throw new Error(back.error)
        expect(back.value.experiment).toStrictEqual(exp)
        expect(retrainAndCheck(back.value)).toEqual([])
      }),
      { numRuns: 200 }
    )
  })
})
