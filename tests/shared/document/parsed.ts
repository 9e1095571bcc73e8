import { parseDocumentText, type ExperimentDocument, type ParsedDocument } from '../../../src/shared/document'

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
