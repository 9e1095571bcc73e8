import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { experimentFileFromArgv } from '../../src/main/file-args'

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
