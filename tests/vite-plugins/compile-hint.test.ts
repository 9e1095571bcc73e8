import { describe, expect, it } from 'vitest'
import { COMPILE_HINT, compileHintPlugin } from '../../vite-plugins/compile-hint'

describe('compileHintPlugin', () => {
  it('puts the hint on the first line of entry chunks only, once, and moves their source map down a line', () => {
    const bundle = {
      'index.js': { type: 'chunk', isEntry: true, code: 'run()', map: { mappings: 'AAAA' } },
      'lazy.js': { type: 'chunk', isEntry: false, code: 'later()', map: null },
      'style.css': { type: 'asset' },
    }
    const plugin = compileHintPlugin()
    plugin.generateBundle.handler({}, bundle)
    plugin.generateBundle.handler({}, bundle)
    expect(plugin.generateBundle.order).toBe('post')
    expect(bundle['index.js'].code).toBe(`${COMPILE_HINT}\nrun()`)
    expect(bundle['index.js'].map.mappings).toBe(';AAAA')
    expect(bundle['lazy.js'].code).toBe('later()')
  })
})
