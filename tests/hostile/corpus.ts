/**
 * Builds a corpus of hostile experiment files into a folder (issue 12, "Tests"): huge, deep, wide,
 * NaN and Infinity, prototype keys, wrong types, BOM, invalid UTF-8, binary, truncated, zip, too
 * many learning rates, 100 million epochs, files that quote secrets… Each entry says what the app
 * must do with it: `open` it, or `refuse` it with a message matching `message`.
 *
 *   npx tsx tests/hostile/corpus.ts <folder>     (writes the files and prints their names and sizes)
 */
import { closeSync, mkdirSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { documentFromRuns, serializeDocument } from '../../src/shared/document'
import { Trainer } from '../../src/shared/engine/trainer'
import { defaultExperiment, runConfigs, type Experiment } from '../../src/shared/experiment'
import { LIMITS } from '../../src/shared/limits'

export interface HostileFile {
  name: string
  /** What opening must do. */
  expect: 'open' | 'refuse'
  /** For `refuse`: the message must match. */
  message?: RegExp
  /** Text that must never appear in the message (content of a file that is not an experiment). */
  secret?: string
}

const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
const sheet = (): Record<string, unknown> => JSON.parse(JSON.stringify(defaultExperiment())) as Record<string, unknown>
const withTraining = (training: Record<string, unknown>) => ({ ...sheet(), training: { ...(sheet().training as object), ...training } })

/** Writes `parts` one after the other without building one huge string. */
function writeParts(path: string, parts: Iterable<string | Uint8Array>): void {
  const fd = openSync(path, 'w')
  try {
    for (const part of parts) writeSync(fd, part as never)
  } finally {
    closeSync(fd)
  }
}

function* hugeWideFile(rates: number): Generator<string> {
  // The file: 12 layers of 512, 10,000 samples, `rates` learning rates; about 20 MB.
  const layers = new Array(12).fill(512)
  yield `{"format":"backprop-lab.experiment","version":1,"network":{"layers":${JSON.stringify(layers)},"activations":${JSON.stringify(new Array(11).fill('sigmoid'))}},`
  yield '"init":{"seed":1,"scheme":"xavier"},"samples":['
  const row = new Array(512).fill(0).join(',')
  for (let s = 0; s < 10_000; s++) yield `${s ? ',' : ''}{"inputs":[${row}],"targets":[${row}]}`
  yield `],"training":{"learningRates":${JSON.stringify(Array.from({ length: rates }, (_, i) => 0.01 * (i + 1)))},"epochs":10}}`
}

/** The 20 MB file (12 layers of 512, 10,000 samples) with `rates` learning rates, at `path`. */
export const writeHugeWideFile = (path: string, rates: number): void => writeParts(path, hugeWideFile(rates))

function savedAfter(exp: Experiment, epochs: number): string {
  const runs = runConfigs(exp).map((config) => {
    const trainer = new Trainer(config, { record: false })
    trainer.step(epochs)
    return { learningRate: config.learningRate, losses: trainer.losses.toArray(), weights: trainer.weights, biases: [], stopReason: null }
  })
  return serializeDocument(documentFromRuns(exp, runs))
}

/** Writes every hostile file into `dir` and lists them. */
export function buildCorpus(dir: string): HostileFile[] {
  mkdirSync(dir, { recursive: true })
  const files: HostileFile[] = []
  const add = (name: string, content: string | Uint8Array | Iterable<string>, what: Omit<HostileFile, 'name'>): void => {
    const path = join(dir, name)
    if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(path, content)
    else writeParts(path, content)
    files.push({ name, ...what })
  }
  const json = (x: unknown) => JSON.stringify(x)
  const refuse = (message: RegExp, secret?: string) => ({ expect: 'refuse' as const, message, secret })
  const open = { expect: 'open' as const }

  // Huge and wide.
  add('huge-12x512-10000-samples-200-rates.json', hugeWideFile(200), refuse(/training\.learningRates: has 200 learning rates; at most 64 \(one run each\)/))
  add('huge-12x512-10000-samples-64-rates.json', hugeWideFile(64), open)
  const big = join(dir, 'over-the-byte-limit.bplab')
  writeFileSync(big, '')
  truncateSync(big, LIMITS.maxFileBytes + 1) // sparse: refused on its size before a byte is read
  files.push({ name: 'over-the-byte-limit.bplab', ...refuse(/it is 134,217,729 bytes \(128 MB\); files up to 128 MB can be opened/) })
  // 45 M characters of notes in 3-byte UTF-8: 135 MB on disk, over the byte limit however few characters.
  add(
    'multibyte-notes-135mb.bplab',
    (function* () {
      const text = JSON.stringify({ ...sheet(), notes: '' })
      yield text.slice(0, -1) + ',"notes2":"'
      const chunk = '€'.repeat(1 << 20)
      for (let i = 0; i < 45; i++) yield chunk
      yield '"}'
    })(),
    refuse(/^it is 141,5\d\d,\d{3} bytes \(135 MB\); files up to 128 MB can be opened$/)
  )
  add('notes-60mb.bplab', json({ ...sheet(), notes: 'n'.repeat(60 * 1024 * 1024) }), open)
  add('samples-10001.json', json({ ...sheet(), samples: Array.from({ length: 10_001 }, () => ({ inputs: [0, 0], targets: [0, 0] })) }), refuse(/samples: has 10001 samples; at most 10000$/))
  add('inputs-1-million-wide.json', json({ ...sheet(), samples: [{ inputs: new Array(1_000_000).fill(0), targets: [0, 0] }] }), refuse(/samples\[0\]\.inputs: has 1000000 values; at most 512$/))
  add('layer-513.json', json({ ...sheet(), network: { layers: [2, 513, 2], activations: ['sigmoid', 'sigmoid'] } }), refuse(/network\.layers\[1\]: at most 512 neurons/))
  add('layers-13.json', json({ ...sheet(), network: { layers: new Array(13).fill(2), activations: new Array(12).fill('sigmoid') } }), refuse(/network\.layers: has 13 layers; at most 12$/))

  // Deep.
  add('nested-1-million-arrays.json', (function* () { yield '['.repeat(1_000_000); yield ']'.repeat(1_000_000) })(), refuse(/^file: must be a JSON object \(got a list\)$/))
  add('nested-100000-in-notes.bplab', (function* () {
    const text = json(sheet())
    yield text.slice(0, -1) + ',"deep":'
    yield '{"a":'.repeat(100_000)
    yield '1'
    yield '}'.repeat(100_000)
    yield '}'
  })(), refuse(/is nested more than 32 levels deep/))

  // Numbers that are not numbers.
  add('nan-as-string.json', json(withTraining({ learningRates: ['NaN'] })), refuse(/training\.learningRates\[0\]: must be a number/))
  add('infinity-as-string.json', json(withTraining({ epochs: 'Infinity' })), refuse(/training\.epochs: must be a number/))
  add('bare-nan.json', json(withTraining({ learningRates: [0.5] })).replace('[0.5]', '[NaN]'), refuse(/training\.learningRates\[0\]: NaN is not a number a file can hold/))
  add('bare-infinity-weight.json', json(sheet()).replace('0.15', '-Infinity'), refuse(/init\.weights\[0\]: -Infinity is not a number/))
  add('1e400.json', json(sheet()).replace('0.15', '1e400'), refuse(/init\.weights\[0\]: must be a finite number/))
  add('epochs-1e20.json', json(withTraining({ epochs: 1e20 })), refuse(/training\.epochs: must be at most 100000000/))
  add('epochs-negative.json', json(withTraining({ epochs: -5 })), refuse(/training\.epochs: must be at least 1/))

  // Learning rates and epochs at and past the limits.
  add('rates-65.json', json(withTraining({ learningRates: new Array(65).fill(0.5) })), refuse(/training\.learningRates: has 65 learning rates; at most 64 \(one run each\)/))
  add('rates-64-epochs-100-million.json', json(withTraining({ learningRates: new Array(64).fill(0.5), epochs: 100_000_000 })), open)
  const long = defaultExperiment()
  long.training.learningRates = [0.5, 1, 2]
  long.training.epochs = 100_000_000
  add('saved-results-100-million-epochs.bplab', savedAfter(long, 1000), open)

  // Prototype keys and wrong types.
  add('proto-keys.json', json(sheet()).replace('{', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},'), open)
  add('proto-in-network.json', json(sheet()).replace('"network":{', '"network":{"__proto__":{"layers":[9,9]},'), open)
  add('layers-as-text.json', json({ ...sheet(), network: { layers: '2,2,2', activations: ['sigmoid', 'sigmoid'] } }), refuse(/network\.layers: must be a list of layer sizes/))
  add('samples-null.json', json({ ...sheet(), samples: null }), refuse(/samples: must be a list of samples/))
  add('version-99.bplab', json({ ...sheet(), version: 99 }), refuse(/newer Backprop Lab/))
  add('duplicate-keys.json', json(sheet()).replace('{', '{"format":"something else",'), open)

  // Encodings and bytes.
  add('bom.json', '\uFEFF' + json(sheet()), open)
  add('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json(sheet()), 'utf16le')]), refuse(/is not valid JSON/))
  add('invalid-utf8.json', Buffer.concat([Buffer.from(json(sheet()).replace('Backpropagation sheet', 'X')), Buffer.from([0xc3, 0x28, 0xff])]), refuse(/is not valid JSON/))
  add('invalid-utf8-in-name.json', Buffer.from(json(sheet()).replace('Backpropagation sheet', '\u0001'), 'utf8').map((b) => (b === 1 ? 0xff : b)), open)
  add('binary.bplab', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256), refuse(/is not valid JSON/))
  add('png.bplab', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(100)]), refuse(/is not valid JSON/))
  add('zip.bplab', Buffer.concat([Buffer.from('504b0304140000000800', 'hex'), Buffer.from('experiment.json'), Buffer.alloc(64)]), refuse(/is not valid JSON/))
  add('truncated.bplab', savedAfter(defaultExperiment(), 70).slice(0, 300), refuse(/is not valid JSON: .* at line \d+, column \d+/))
  add('empty.bplab', '', refuse(/^file: is empty$/))
  add('whitespace.bplab', ' \n\t '.repeat(1000), refuse(/^file: is empty$/))
  add('null.json', 'null', refuse(/^file: must be a JSON object \(got null\)$/))

  // Files that are not experiments must not have their content quoted back.
  add('secret-string.json', json(SECRET), refuse(/^file: must be a JSON object \(got text\)$/, SECRET))
  add('secret-format.json', json({ format: SECRET }), refuse(/^format: must be "backprop-lab\.experiment" \(got text\)/, SECRET))
  add('secret-key-nan.json', `{"${SECRET}": NaN}`, refuse(/^file: is not valid JSON/, SECRET))
  add('secret-token.json', `${SECRET}=1`, refuse(/^file: is not valid JSON: Unexpected character$/, SECRET))
  const deep = Array.from({ length: 40 }).reduce<unknown>((inner) => [inner], 1)
  add('secret-nested.json', json({ [SECRET]: { [SECRET]: deep } }), refuse(/^format: is missing/, SECRET))
  return files
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const dir = process.argv[2]
  if (!dir) throw new Error('usage: tsx tests/hostile/corpus.ts <folder>')
  for (const f of buildCorpus(dir)) console.log(`${f.name}\t${(statSync(join(dir, f.name)).size / 1024).toFixed(0)} KB\t${f.expect}`)
}
