import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Autosave, MAX_RECENT, RecentFiles } from '../../../src/main/services'

let dir: string
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'bplab-store-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function files(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const path = join(dir, `e${i}.bplab`)
    writeFileSync(path, '{}')
    return path
  })
}

describe('RecentFiles', () => {
  it('keeps the latest first, without duplicates, at most ten, across instances (launches)', async () => {
    const store = join(dir, 'recent.json')
    const paths = files(12)
    const recent = new RecentFiles(store)
    for (const p of paths) await recent.add(p)
    await recent.add(paths[5])
    const again = await new RecentFiles(store).list()
    expect(again).toHaveLength(MAX_RECENT)
    expect(again.map((f) => f.name)).toEqual([
      'e5.bplab',
      'e11.bplab',
      'e10.bplab',
      'e9.bplab',
      'e8.bplab',
      'e7.bplab',
      'e6.bplab',
      'e4.bplab',
      'e3.bplab',
      'e2.bplab',
    ])
    expect(again.every((f) => f.exists)).toBe(true)
  })

  it('marks a file that has vanished', async () => {
    const [a, b] = files(2)
    const recent = new RecentFiles(join(dir, 'recent.json'))
    await recent.add(a)
    await recent.add(b)
    rmSync(a)
    expect(await recent.list()).toEqual([
      { path: b, name: 'e1.bplab', exists: true },
      { path: a, name: 'e0.bplab', exists: false },
    ])
    await recent.remove(a)
    expect((await recent.list()).map((f) => f.path)).toEqual([b])
  })

  it('survives a corrupt or missing store: an empty list, then a good store again', async () => {
    const store = join(dir, 'recent.json')
    expect(await new RecentFiles(store).list()).toEqual([])
    for (const junk of ['{"files": [', '"just text"', '{"files": [1, null, {"a": 2}]}', '\u0000\u0001']) {
      writeFileSync(store, junk)
      const recent = new RecentFiles(store)
      expect(await recent.list()).toEqual([])
    }
    const [a] = files(1)
    await new RecentFiles(store).add(a)
    expect(JSON.parse(readFileSync(store, 'utf8'))).toEqual({ version: 1, files: [a] })
  })

  it('creates the folder of its store (the app data folder may not exist yet)', async () => {
    const [a] = files(1)
    await new RecentFiles(join(dir, 'not', 'yet', 'recent.json')).add(a)
    expect((await new RecentFiles(join(dir, 'not', 'yet', 'recent.json')).list()).map((f) => f.path)).toEqual([a])
  })

  it('loses no entry when adds overlap', async () => {
    const paths = files(6)
    const recent = new RecentFiles(join(dir, 'recent.json'))
    await Promise.all(paths.map((p) => recent.add(p)))
    expect((await recent.list()).map((f) => f.path).sort()).toEqual([...paths].sort())
  })
})

describe('Autosave', () => {
  it('writes atomically into a folder it creates; the next launch gets the copy back until it is discarded', async () => {
    const folder = join(dir, 'data', 'autosave')
    const first = new Autosave(folder)
    await first.write('first')
    await first.write('second')
    expect(readdirSync(folder)).toEqual([basename(first.file)])
    expect(await first.take()).toBeNull() // its own copy is no recovery for the session writing it
    // A new instance is the next launch (the first one "crashed").
    const next = new Autosave(folder)
    const copy = await next.take()
    expect(copy).toEqual({ id: basename(first.file, '.json'), text: 'second' })
    expect(await next.take()).toEqual(copy) // still there until discarded: a second crash loses nothing
    await next.discard(copy!.id)
    expect(await next.take()).toBeNull()
    expect(existsSync(first.file)).toBe(false)
  })

  it('an empty text means nothing to recover; clearing twice is fine', async () => {
    const autosave = new Autosave(dir)
    await autosave.write('work')
    await autosave.write('')
    expect(await new Autosave(dir).take()).toBeNull()
    await autosave.clear()
    await autosave.clear()
  })

  it('discarding an old session’s copy leaves the current session’s copy (issue 12 A2)', async () => {
    const old = new Autosave(dir)
    await old.write('old work')
    const current = new Autosave(dir)
    await current.write('current work')
    const copy = await current.take()
    expect(copy?.text).toBe('old work')
    await current.discard(copy!.id)
    expect(readFileSync(current.file, 'utf8')).toBe('current work')
    // Nor can the current copy be discarded by its id, nor any path be named.
    await current.discard(basename(current.file, '.json'))
    await current.discard('../recent')
    expect(readFileSync(current.file, 'utf8')).toBe('current work')
  })

  it('a clean quit clears only its own copy: an old session’s copy stays for the next launch', async () => {
    const old = new Autosave(dir)
    await old.write('old work')
    const current = new Autosave(dir)
    await current.write('current work')
    await current.clear()
    expect((await new Autosave(dir).take())?.text).toBe('old work')
  })

  it('keepForRecovery (the page crashed) turns the copy into an old one that a later clear does not remove', async () => {
    const autosave = new Autosave(dir)
    await autosave.write('work of the page that crashed')
    await autosave.keepForRecovery()
    await autosave.clear() // window-all-closed after a crash
    const copy = await autosave.take() // the reloaded page in the same session finds it
    expect(copy?.text).toBe('work of the page that crashed')
    expect(existsSync(join(dir, `${copy!.id}.json`))).toBe(true)
  })

  it('a recovery.json left by an earlier version is offered, the newest copy first', async () => {
    writeFileSync(join(dir, 'recovery.json'), 'from the old version')
    utimesSync(join(dir, 'recovery.json'), new Date(2020, 0, 1), new Date(2020, 0, 1))
    const autosave = new Autosave(dir)
    expect(await autosave.take()).toEqual({ id: 'recovery', text: 'from the old version' })
    const later = new Autosave(dir)
    await later.write('newer')
    expect((await autosave.take())?.text).toBe('newer')
    await autosave.discard('recovery')
    expect(existsSync(join(dir, 'recovery.json'))).toBe(false)
  })
})
