/**
 * A real process that saves a document, for the tests that must kill a process mid-save or run
 * one under a file size limit. argv: target, source of the new text, mode ('hang-before-rename' | 'save').
 * Prints one JSON line per event on stdout.
 */
import { readFileSync } from 'node:fs'
import { saveExperimentFile } from '../../../src/main/services'

const [target, source, mode] = process.argv.slice(2)
const say = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n')

saveExperimentFile(target, readFileSync(source, 'utf8'), {
  beforeStep: async (step) => {
    if (mode === 'hang-before-rename' && step === 'rename') {
      say({ event: 'written' })
      await new Promise(() => undefined) // the parent kills us here
    }
  },
}).then(
  () => say({ event: 'saved' }),
  (e: { message: string; step?: string; code?: string }) => say({ event: 'failed', message: e.message, step: e.step, code: e.code })
)
