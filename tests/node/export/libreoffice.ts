import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Recomputes workbooks with LibreOffice, headless. LibreOffice normally shows the results cached
 * in an .xlsx; a profile whose registrymodifications.xcu sets OOXMLRecalcMode = 0 makes it
 * recompute every formula on load (docs: ENVIRONMENT.md). Every call gets its own profile, so
 * parallel calls do not share LibreOffice's lock.
 */
const XCU = fileURLToPath(new URL('../../fixtures/libreoffice-recalc-registrymodifications.xcu', import.meta.url))

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

/** recalculate, the recomputed files by the input's name without `.xlsx`. */
export async function recalculateByName(files: string[]): Promise<{ byName: Record<string, string>; cleanup: () => Promise<void> }> {
  const { paths, cleanup } = await recalculate(files)
  return { byName: Object.fromEntries(files.map((f, i) => [basename(f).replace(/\.xlsx$/, ''), paths[i]])), cleanup }
}

/** Converts each .xlsx to a recomputed .xlsx in a fresh folder; returns their paths (same order). */
export async function recalculate(files: string[], { timeoutMs = 240_000, command = 'soffice' } = {}): Promise<{ paths: string[]; cleanup: () => Promise<void> }> {
  const names = files.map((f) => basename(f).replace(/\.[^.]+$/, ''))
  if (new Set(names).size !== names.length) throw new Error('recalculate: the files need different names (they share one output folder)')
  const work = await mkdtemp(join(tmpdir(), 'backprop-lo-'))
  const profile = join(work, 'profile')
  const out = join(work, 'out')
  await mkdir(join(profile, 'user'), { recursive: true })
  await mkdir(out)
  await copyFile(XCU, join(profile, 'user', 'registrymodifications.xcu'))
  const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--nodefault', '--convert-to', 'xlsx', '--outdir', out, ...files]
  const log: string[] = []
  const ran = new Promise<void>((done, fail) => {
    // Its own process group: soffice is a script that starts soffice.bin, and a timeout kills both.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    child.stdout.on('data', (d) => log.push(String(d)))
    child.stderr.on('data', (d) => log.push(String(d)))
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
      fail(new Error(`LibreOffice did not finish within ${timeoutMs} ms:\n${log.join('')}`))
    }, timeoutMs)
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      fail(
        e.code === 'ENOENT'
          ? new Error('LibreOffice (soffice) is not installed: apt-get install -y --no-install-recommends libreoffice-calc-nogui')
          : e
      )
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) done()
      else fail(new Error(`soffice exited with ${code}:\n${log.join('')}`))
    })
  })
  try {
    await ran
  } catch (e) {
    await rm(work, { recursive: true, force: true })
    throw e
  }
  const paths = names.map((n) => join(out, `${n}.xlsx`))
  for (const p of paths) if (!(await exists(p))) throw new Error(`LibreOffice wrote no ${p}:\n${log.join('')}`)
  return { paths, cleanup: () => rm(work, { recursive: true, force: true }) }
}
