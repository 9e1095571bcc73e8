import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { experimentFileFromArgv, isOpenablePath } from '../../src/main/file-args'

describe('experiment file on the command line', () => {
  it('finds the first .bplab argument, resolved against the launching directory', () => {
    expect(experimentFileFromArgv(['/opt/Backprop Lab/backprop-lab', 'work/a.bplab'], '/home/u')).toBe(resolve('/home/u', 'work/a.bplab'))
    expect(experimentFileFromArgv(['electron', '.', '--inspect=0', '/data/B.BPLAB', 'c.bplab'], '/x')).toBe('/data/B.BPLAB')
  })

  it('ignores switches, the entry and other files', () => {
    expect(experimentFileFromArgv(['electron', '.', '--some-switch=x.bplab', 'notes.txt'], '/x')).toBeNull()
    expect(experimentFileFromArgv(['a.bplab'], '/x')).toBeNull()
    expect(experimentFileFromArgv([], '/x')).toBeNull()
  })
})

describe('a path the renderer may ask to open (a dropped file)', () => {
  it('only an absolute path to a .bplab or .json file', () => {
    for (const ok of [resolve('/home/u/a.bplab'), resolve('/home/u/B.JSON'), resolve('/d/with space/x.Bplab')])
      expect(isOpenablePath(ok), ok).toBe(true)
    for (const bad of [
      'a.bplab',
      './a.json',
      '../x.bplab',
      resolve('/home/u/a.txt'),
      resolve('/home/u/a.bplab.bak'),
      resolve('/home/u/json'),
      '',
    ])
      expect(isOpenablePath(bad), bad).toBe(false)
  })
})
