import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * The repository holds everything its code, tests and docs use: a fresh clone in an empty folder
 * has nothing beside it, so a relative path that climbs out of the repository (`../x` from the
 * root) names a file that clone does not have.
 */
const ROOT = resolve(__dirname, '..')
const FOLDERS = ['src', 'tests', 'scripts', 'bench', 'docs', 'build', '.ci']
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|vue|html|css|md|sh|json|ya?ml|xcu|bplab)$/
const SKIP = new Set(['node_modules', 'out', 'dist', '.git'])

function textFiles(root: string): string[] {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (TEXT.test(entry.name) || !entry.name.includes('.')) files.push(path)
    }
  }
  for (const folder of FOLDERS) if (existsSync(join(root, folder))) walk(join(root, folder))
  for (const entry of readdirSync(root, { withFileTypes: true }))
    if (entry.isFile() && TEXT.test(entry.name) && entry.name !== 'package-lock.json') files.push(join(root, entry.name))
  return files
}

/**
 * A file's text without the lines that plant a file elsewhere (they say "planted"): a test that
 * writes an imagined `src/shared/planted.ts` importing `../../main/x` names paths relative to that
 * imagined file, not to itself (tests/lint/layers.test.ts, and this test's own planted repository).
 */
const lines = (file: string): string =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/planted/i.test(line))
    .join('\n')

/** `file: ../path` for every relative path in the files that resolves outside `root`. */
function outsideReferences(root: string): string[] {
  const found: string[] = []
  for (const file of textFiles(root)) {
    for (const match of lines(file).matchAll(/(?:\.\.\/)+[\w@.-][\w@./-]*/g)) {
      const target = resolve(dirname(file), match[0])
      if (target !== root && !target.startsWith(root + sep)) found.push(`${relative(root, file)}: ${match[0]}`)
    }
  }
  return found
}

/**
 * `file: path` for every repository path (`src/…`, `tests/…`, `docs/…`, … with an extension) that a
 * file names but that does not exist, such as a comment citing a test file that was never written.
 * Patterns (`*`) and placeholders in capitals (`NAME.png`) are not paths.
 */
function missingRepositoryPaths(root: string): string[] {
  const found: string[] = []
  const named = new RegExp(String.raw`(?<![\w./@-])(?:${FOLDERS.join('|').replace('.', '\\.')})/[\w./-]*\w\.[a-z]{2,5}\b(?![*/])`, 'g')
  for (const file of textFiles(root)) {
    for (const match of lines(file).matchAll(named)) {
      if (/\*|[A-Z]{3,}\./.test(match[0])) continue
      if (!existsSync(join(root, match[0]))) found.push(`${relative(root, file)}: ${match[0]}`)
    }
  }
  return found
}

const planted = mkdtempSync(join(tmpdir(), 'bplab-repo-'))
afterAll(() => rmSync(planted, { recursive: true, force: true }))

describe('the repository refers to nothing outside itself', () => {
  it('no file in src/, tests/, scripts/, bench/, docs/, build/, .ci/ or the root refers to a path outside the repository root', () => {
    expect(outsideReferences(ROOT)).toEqual([])
  })

  it('every repository path a file names exists', () => {
    expect(missingRepositoryPaths(ROOT)).toEqual([])
  })

  it('the checks find what they look for (a planted repository)', () => {
    // Paths are joined at run time, so this file itself does not name them.
    const path = (...parts: string[]): string => parts.join('/')
    const repo = join(planted, 'repo')
    const write = (file: string, text: string): void => {
      mkdirSync(dirname(join(repo, file)), { recursive: true })
      writeFileSync(join(repo, file), text)
    }
    write(path('src', 'kept.ts'), `// see ${path('tests', 'shared', 'kept.test.ts')}\nexport {}\n`)
    write(path('tests', 'shared', 'kept.test.ts'), `import '${path('..', '..', 'src', 'kept')}'\n`)
    write('README.md', `See [the docs](${path('docs', 'guide.md')}).\n`)
    write(path('docs', 'guide.md'), `Images in ${path('docs', 'screenshots', 'NAME.png')}; tests in ${path('tests', '**', '*.test.ts')}.\n`)
    expect(outsideReferences(repo)).toEqual([])
    expect(missingRepositoryPaths(repo)).toEqual([])

    const sheet = path('..', '..', '..', 'shared', 'reference', 'sheet.json')
    const architecture = path('..', 'shared', 'docs', 'ARCHITECTURE.md')
    write(path('tests', 'shared', 'reference.ts'), `readFileSync(resolve(__dirname, '${sheet}'))\n`)
    write('README.md', `See [the architecture](${architecture}).\n`)
    write(path('src', 'engine.ts'), `// checked by ${path('tests', 'shared', 'engine.test.ts')}\nexport {}\n`)
    expect(outsideReferences(repo).sort()).toEqual([`README.md: ${architecture}`, `tests/shared/reference.ts: ${sheet}`])
    expect(missingRepositoryPaths(repo)).toEqual([`${path('src', 'engine.ts')}: ${path('tests', 'shared', 'engine.test.ts')}`])
  })
})

describe('the README and package.json agree', () => {
  it('the README gives the engines range for the tests and Electron’s own for the app', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    const electron = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { engines: { node: string } }
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(`\`${pkg.engines.node}\``)
    // The app installs Electron, whose installer needs at least this Node.
    const appNode = /^>= ?(\d+\.\d+)\.0$/.exec(electron.engines.node)?.[1]
    expect(appNode, electron.engines.node).toBeDefined()
    expect(readme.split('\n').slice(0, 10).join('\n')).toMatch(new RegExp(`npm install && npm run dev .*Node\\.js ${appNode!.replace('.', '\\.')}`))
  })
})
