import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { train } from '../../../src/shared/engine'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'
import { tanhNet as tanhNetOf } from '../../fixtures/experiments'
import {
  APP_VERSION,
  documentFromRuns,
  parseDocumentText,
  serializeDocument,
} from '../../../src/shared/document'
import { fixture } from '../../fixtures/read'
import { error, ok, trained } from './parsed'
import { retrainAndCheck } from './retrain'


/** A seeded 3-4-4-2 tanh net whose biases are trained. */
const tanhNet = () => tanhNetOf(500)

/** The sheet's net, made linear, trained at six rates; the two largest diverge. */
const sixRates = () => {
  const e = defaultExperiment()
  e.network.activations = ['linear', 'linear']
  e.training.learningRates = [0.1, 0.5, 1, 5, 50, 500]
  e.training.epochs = 300
  return e
}


describe('round trip: save then open', () => {
  it.each([
    ['the default experiment', defaultExperiment],
    ['a seeded 3-4-4-2 tanh net with trained biases', tanhNet],
    ['a six-rate comparison', sixRates],
  ])('%s gives an equal experiment and identical results', (_, make) => {
    const exp = make()
    const runs = trained(exp)
    const doc = documentFromRuns(exp, runs, { notes: 'notes\nwith a newline', now: new Date('2026-01-02T03:04:05.006Z') })
    const back = ok(parseDocumentText(serializeDocument(doc)))
    expect(back.experiment).toEqual(exp)
    expect(back.notes).toBe('notes\nwith a newline')
    expect(back.created).toBe('2026-01-02T03:04:05.006Z')
    expect(back.app).toEqual({ name: 'Backprop Lab', version: APP_VERSION })
    expect(back.results).toHaveLength(runs.length)
    back.results.forEach((r, i) => {
      // Bit for bit: every E_tot, every final parameter.
      expect(Buffer.from(r.losses.buffer).equals(Buffer.from(runs[i].losses.buffer))).toBe(true)
      expect(r.weights).toEqual(runs[i].weights)
      expect(r.biases).toEqual(runs[i].biases)
      expect(r.stopReason).toEqual(runs[i].stopReason)
    })
    expect(retrainAndCheck(back)).toEqual([])
    // Saving what was opened gives the same text again.
    expect(serializeDocument(back)).toBe(serializeDocument(doc))
  })

  it('keeps trained biases and the six stop reasons, including a diverged run', () => {
    const runs = trained(sixRates())
    expect(runs.at(-1)!.stopReason.kind).toBe('diverged')
    const back = ok(parseDocumentText(serializeDocument(documentFromRuns(sixRates(), runs))))
    expect(back.results.map((r) => r.stopReason.kind)).toEqual(runs.map((r) => r.stopReason.kind))
    expect(ok(parseDocumentText(serializeDocument(documentFromRuns(tanhNet(), trained(tanhNet()))))).results[0].biases).toHaveLength(10)
  })

  it('saves a run that has not ended as stopped, and checks it for its saved epochs', () => {
    const exp = defaultExperiment()
    const full = trained(exp)[0]
    const partial = { ...full, losses: full.losses.slice(0, 10), stopReason: null }
    const config = runConfigs(exp)[0]
    partial.weights = train({ ...config, epochs: 10 }, { record: false }).weights
    const back = ok(parseDocumentText(serializeDocument(documentFromRuns(exp, [partial]))))
    expect(back.results[0].stopReason).toMatchObject({ kind: 'stopped', epochs: 10 })
    expect(retrainAndCheck(back)).toEqual([])
  })

  it('leaves out results that no longer belong to the configuration', () => {
    const exp = defaultExperiment()
    const runs = trained(exp)
    exp.training.learningRates = [0.3]
    expect(documentFromRuns(exp, runs).results).toEqual([])
  })
})

describe('the saved-results check (savedResultsProblems)', () => {
  it('reports an E_tot changed in the file, naming the run and the epoch', () => {
    const doc = ok(parseDocumentText(fixture('v2-sheet.bplab')))
    doc.results[0].losses[41] += 1e-12
    const found = retrainAndCheck(doc)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^Run 1 \(η = 0\.5\): E_tot of epoch 42 is .* in the file but .* when recomputed\.$/)
  })

  it('reports a changed final weight, bias, epoch count and stop reason', () => {
    const base = () => ok(parseDocumentText(serializeDocument(documentFromRuns(tanhNet(), trained(tanhNet())))))
    let doc = base()
    doc.results[0].weights[5] = 0.5
    expect(retrainAndCheck(doc)[0]).toContain('final w6')
    doc = base()
    doc.results[0].biases[9] = 0.5
    expect(retrainAndCheck(doc)[0]).toContain('final b10')
    doc = base()
    doc.results[0].losses = doc.results[0].losses.slice(0, 100)
    doc.results[0].stopReason = { kind: 'threshold', epochs: 100, message: '' }
    expect(retrainAndCheck(doc)[0]).toContain('the file holds 100 epochs but the engine trains 500')
  })
})

describe('fixtures of every past format version', () => {
  it('version 1: the sheet is migrated and trains exactly like the default', () => {
    const p = parseDocumentText(fixture('v1-sheet.json'))
    expect(p.ok && p.info).toEqual({
      fileVersion: 1,
      hash: 'missing',
      notices: ['This file was written in format version 1; it will be saved in version 3.'],
    })
    const doc = ok(p)
    expect(doc.experiment).toEqual(defaultExperiment())
    expect(doc).toMatchObject({ app: null, created: null, modified: null, notes: '', results: [] })
  })

  it('version 1 with fields version 2 now defines: they move under "legacy"; unknown fields are kept', () => {
    const doc = ok(parseDocumentText(fixture('v1-seeded-extras.json')))
    expect(doc.notes).toBe('')
    expect(doc.experiment.legacy).toEqual({ notes: ['a list, which version 2 does not allow here'] })
    expect(doc.experiment.author).toBe('a field version 1 did not know')
    expect(doc.experiment.training.stopBelow).toBe(0)
    const again = ok(parseDocumentText(serializeDocument(doc)))
    expect(again.experiment).toEqual(doc.experiment)
  })

  it.each(['v2-sheet.bplab', 'v2-seeded-tanh.bplab'])('version 2: %s has a good hash and results the engine reproduces; it saves as its v3 fixture', (name) => {
    const p = parseDocumentText(fixture(name))
    expect(p.ok && p.info).toEqual({ fileVersion: 2, hash: 'ok', notices: ['This file was written in format version 2; it will be saved in version 3.'] })
    const doc = ok(p)
    expect(doc.results.length).toBe(doc.experiment.training.learningRates.length)
    expect(retrainAndCheck(doc)).toEqual([])
    expect(serializeDocument(doc)).toBe(fixture(name.replace('v2-', 'v3-')))
  })

  it('the v2 tanh fixture keeps its unknown field and its Unicode notes', () => {
    const doc = ok(parseDocumentText(fixture('v2-seeded-tanh.bplab')))
    expect(doc.experiment.comment).toBe('unknown field, kept')
    expect(doc.notes).toContain('ünïcödé')
  })
})

describe('reading files changed outside the app', () => {
  it('a hand edit is noticed by the hash, and the results check names the change', () => {
    const text = fixture('v3-sheet.bplab').replace('0.24251985734837728', '0.2425198573484')
    const p = parseDocumentText(text)
    expect(p.ok && p.info.hash).toBe('mismatch')
    expect(p.ok && p.info.notices[0]).toMatch(/content hash does not match/)
    expect(retrainAndCheck(ok(p))[0]).toMatch(/epoch 1 is 0.2425198573484 in the file/)
  })

  it('re-indenting the file keeps the hash valid', () => {
    const text = JSON.stringify(JSON.parse(fixture('v3-sheet.bplab')), null, 4)
    expect(parseDocumentText(text)).toMatchObject({ ok: true, info: { hash: 'ok' } })
  })

  it('the app version constant is package.json’s', () => {
    expect(APP_VERSION).toBe(JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).version)
  })
})

describe('refusing bad files: one message naming the field and the problem', () => {
  const sheet = () => JSON.parse(fixture('v2-sheet.bplab'))
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach anywhere in the JSON
  const edit = (change: (d: Record<string, any>) => void) => {
    const d = sheet()
    change(d)
    return JSON.stringify(d)
  }

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"format": "backprop-lab.experiment",', /^file: is not valid JSON/],
    ['empty', '  \n', /^file: is empty$/],
    ['a list', '[1, 2]', /^file: must be a JSON object \(got a list\)$/],
    ['wrong format name', edit((d) => (d.format = 'my-net')), /^format: must be "backprop-lab.experiment" \(got text\); this is not a Backprop Lab experiment$/],
    ['no format', edit((d) => delete d.format), /^format: is missing/],
    ['unknown version', edit((d) => (d.version = 'two')), /^version: must be a whole number from 1 to 3 \(got "two"\)$/],
    [
      'a newer version',
      edit((d) => (d.version = 4)),
      /^version: this file was written in format version 4 by a newer Backprop Lab; .* Update Backprop Lab to open it$/,
    ],
    ['a missing field', edit((d) => delete d.network), /^network: is missing$/],
    ['a mistyped field', edit((d) => (d.training.epochs = '70')), /^training\.epochs: /],
    ['a mistyped v2 field', edit((d) => (d.notes = 5)), /^notes: must be text$/],
    ['a bad time', edit((d) => (d.created = 'yesterday')), /^created: must be a date and time/],
    [
      'NaN',
      fixture('v2-sheet.bplab').replace('"learningRates": [0.5]', '"learningRates": [NaN]'),
      /^training\.learningRates\[0\]: NaN is not a number a file can hold/,
    ],
    ['-Infinity', fixture('v2-sheet.bplab').replace('0.15, 0.2,', '0.15, -Infinity,'), /^init\.weights\[1\]: -Infinity is not a number/],
    [
      '1e999 (read as Infinity)',
      fixture('v2-sheet.bplab').replace('"momentum": 0', '"momentum": 1e999'),
      /^training\.momentum: must be a finite number/,
    ],
    ['a weight count that does not fit the layers', edit((d) => d.init.weights.pop()), /^init\.weights: needs 8 values, got 7/],
    [
      'a result weight count that does not fit',
      edit((d) => d.results[0].weights.push(1)),
      /^results\[0\]\.weights: needs 8 values for layers 2-2-2, got 9$/,
    ],
    ['a zero layer size', edit((d) => (d.network.layers[1] = 0)), /^network\.layers\[1\]: /],
    ['a negative layer size', edit((d) => (d.network.layers[0] = -2)), /^network\.layers\[0\]: /],
    ['10,000 layers', edit((d) => (d.network.layers = Array(10000).fill(2))), /^network\.layers: has 10000 layers; at most 12$/],
    [
      'results for other rates',
      edit((d) => (d.results[0].learningRate = 0.25)),
      /^results\[0\]\.learningRate: is 0.25 but training.learningRates\[0\] is 0.5$/,
    ],
    [
      'losses that disagree with the epochs',
      edit((d) => d.results[0].losses.pop()),
      /^results\[0\]\.losses: has 69 values but stopReason.epochs is 70/,
    ],
    ['a non-number E_tot', edit((d) => (d.results[0].losses[3] = 'x')), /^results\[0\]\.losses\[3\]: must be a finite number \(got "x"\)$/],
    ['a bad hash', edit((d) => (d.hash = 'md5:1')), /^hash: must be "sha256:" and 64 hex digits$/],
    [
      'deeply nested junk',
      fixture('v2-sheet.bplab').replace('"notes"', `"junk": ${'['.repeat(100000) + ']'.repeat(100000)}, "notes"`),
      /^junk\[0\]\[0\].*: is nested more than 32 levels deep/,
    ],
  ])('%s', (_, text, message) => {
    const e = error(text)
    expect(e).toMatch(message)
    expect(e.split('\n')).toHaveLength(1)
  })

  it('a 200 MB file is refused by its size before it is parsed', () => {
    const big = ' '.repeat(200 * 1024 * 1024)
    const parse = vi.spyOn(JSON, 'parse')
    expect(error(big)).toBe('file: is 200 MB; files up to 128 MB can be opened')
    expect(parse).not.toHaveBeenCalled()
    parse.mockRestore()
  })
})
