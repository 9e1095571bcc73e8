import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  it('writes atomically into a folder it creates, gives the text back after a "crash", and clears', async () => {
    const folder = join(dir, 'data', 'autosave')
    await new Autosave(folder).write('first')
    await new Autosave(folder).write('second')
    expect(readdirSync(folder)).toEqual(['recovery.json'])
    // A new instance is the next launch.
    const next = new Autosave(folder)
    expect(await next.take()).toBe('second')
    expect(await next.take()).toBe('second') // still there until cleared: a second crash loses nothing
    await next.clear()
    expect(await next.take()).toBeNull()
    expect(existsSync(join(folder, 'recovery.json'))).toBe(false)
  })

  it('an empty text means nothing to recover', async () => {
    const autosave = new Autosave(dir)
    await autosave.write('work')
    await autosave.write('')
    expect(await autosave.take()).toBeNull()
    await autosave.clear() // clearing twice is fine
  })
})
