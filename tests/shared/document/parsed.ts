import { parseDocumentText, type ExperimentDocument, type ParsedDocument } from '../../../src/shared/document'
import { train } from '../../../src/shared/engine'
import { runConfigs, type Experiment } from '../../../src/shared/experiment'

/** The document a parse gave; a refusal fails the test with its message. */
export function ok(p: ParsedDocument): ExperimentDocument {
  if (!p.ok) throw new Error(p.error)
  return p.value
}

/** The message a file is refused with; an accepted file fails the test. */
export function error(text: string): string {
  const p = parseDocumentText(text)
  if (p.ok) throw new Error('expected the file to be refused')
  return p.error
}

/** Every run of the experiment trained to its end, as the document takes it (one per learning rate). */
export function trained(exp: Experiment) {
  return runConfigs(exp).map((c) => {
    const r = train(c, { record: false })
    return { learningRate: c.learningRate, losses: r.losses, weights: r.weights, biases: r.biases, stopReason: r.stopReason }
  })
}
