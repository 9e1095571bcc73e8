import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

/**
 * The release workflow cannot run here (it downloads Electron and needs three OSes); it is checked
 * against GitHub's workflow schema with @action-validator/cli, and its commands against the steps
 * a person follows by hand in docs/release.md.
 */
const root = resolve(import.meta.dirname, '../..')
const workflow = resolve(root, '.github/workflows/release.yml')
const validate = (path: string) =>
  spawnSync(process.execPath, [resolve(root, 'node_modules/@action-validator/cli/cli.mjs'), path], { encoding: 'utf8' })

describe('.github/workflows/release.yml', () => {
  it('is a valid GitHub Actions workflow', () => {
    const r = validate(workflow)
    expect(r.stderr + r.stdout).toBe('')
    expect(r.status).toBe(0)
  })

  it('the validator rejects a broken copy (a job without runs-on, an unknown key)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'))
    const broken = join(dir, 'broken.yml')
    writeFileSync(broken, readFileSync(workflow, 'utf8').replace(/^ {4}runs-on: .*$/m, '    runs-onn: ubuntu-latest'))
    const r = validate(broken)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/runs-on|Additional properties/)
  })

  it('builds, tests and uploads on Linux, Windows and macOS, with the commands docs/release.md gives', () => {
    const wf = load(readFileSync(workflow, 'utf8')) as {
      jobs: Record<string, { strategy: { matrix: { include: { os: string }[] } }; steps: { run?: string; uses?: string }[] }>
    }
    const job = Object.values(wf.jobs)[0]
    expect(job.strategy.matrix.include.map((m) => m.os)).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest'])
    const runs = job.steps
      .flatMap((s) => (s.run ?? '').split('\n'))
      .map((l) => l.trim())
      .filter(Boolean)
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm run dist', 'xvfb-run --auto-servernum npm run test:desktop']))
    expect(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true)
    const manual = readFileSync(resolve(root, 'docs/release.md'), 'utf8')
    for (const command of runs.filter((l) => !l.startsWith('sudo '))) expect(manual, command).toContain(command)
  })
})
