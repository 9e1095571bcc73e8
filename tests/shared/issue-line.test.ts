import { describe, expect, it } from 'vitest'
import { documentFromRuns, parseDocument, serializeDocument } from '../../src/shared/document'
import { defaultExperiment, parseExperiment } from '../../src/shared/experiment'
import { experimentProblems } from '../../src/shared/experiment-problems'

/** The experiment parser, the file parser and the editor's problems, for one bad experiment. */
function threeWays(edit: (e: Record<string, unknown>) => void): string[] {
  const exp = defaultExperiment() as unknown as Record<string, unknown>
  edit(exp)
  const parsed = parseExperiment(exp)
  const file = JSON.parse(serializeDocument(documentFromRuns(defaultExperiment(), [])))
  delete file.hash
  edit(file)
  const opened = parseDocument(file)
  const problems = Object.entries(experimentProblems(exp as never)).map(([field, problem]) => `${field}: ${problem}`)
  return [parsed.ok ? 'ok' : parsed.error, opened.ok ? 'ok' : opened.error, problems[0] ?? 'ok']
}

describe('a valibot issue becomes one `field: problem` line, the same everywhere', () => {
  it('a union names the branch that got furthest, inside the union’s own path', () => {
    const lines = threeWays((e) => (e.init = { seed: 1, scheme: 'zeros' }))
    expect(lines).toEqual(Array(3).fill('init.scheme: must be one of xavier, he, uniform'))
  })

  it('a missing field reads "is missing", a wrong type says what it got', () => {
    expect(threeWays((e) => delete (e.training as Record<string, unknown>).epochs)).toEqual(Array(3).fill('training.epochs: is missing'))
    expect(threeWays((e) => (e.samples = { inputs: [1] }))).toEqual(Array(3).fill('samples: must be a list of samples'))
    expect(threeWays((e) => ((e.network as Record<string, unknown>).layers = [2, 0.5, 2]))).toEqual(Array(3).fill('network.layers[1]: must be a whole number'))
  })
})
