import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, compileRowWriter, compiledCount, compileUpdate, js, MAX_COMPILED } from '../../../src/shared/engine/kernel'
import { Network } from '../../../src/shared/engine/network'
import { defaultExperiment, runConfigs } from '../../../src/shared/experiment'

describe('the compiled kernel', () => {
  it('pastes only safe integers into generated source', () => {
    expect(js`s[${3}] = ${'x'};`).toBe('s[3] = x;')
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53]) expect(() => js`s[${bad}]`).toThrow(/not a safe integer/)
    expect(() => js`s[${undefined as unknown as number}]`).toThrow(/not a safe integer/)
    // The callers' own numbers go through the check, not around it.
    expect(() => compileRowWriter(Int32Array.of(0, 1), 0.5)).toThrow(/not a safe integer/)
    expect(() => compileUpdate([[0, NaN]])).toThrow(/not a safe integer/)
  })

  it('throws a code-generation bug instead of falling back to the loops in silence', () => {
    expect(() => compile('return function broken( {')).toThrow(SyntaxError)
  })

  it('keeps a bounded cache, the most recently used first', () => {
    const first = compile('return function f0() { return 0 }')
    for (let i = 1; i <= MAX_COMPILED * 2; i++) compile(`return function f${i}() { return ${i} }`)
    expect(compiledCount()).toBe(MAX_COMPILED)
    // f0 was evicted: compiling it again makes a new function.
    expect(compile('return function f0() { return 0 }')).not.toBe(first)
    const again = compile(`return function f${MAX_COMPILED * 2}() { return 1 }`)
    expect(compile(`return function f${MAX_COMPILED * 2}() { return 1 }`)).toBe(again)
  })

  it('where code generation is forbidden (EvalError), the network falls back to the loops with the same numbers', () => {
    // A real Node process with string code generation turned off, as a CSP without 'unsafe-eval' does.
    const dir = mkdtempSync(join(tmpdir(), 'kernel-'))
    const script = join(dir, 'run.ts')
    const src = resolve('src/shared')
    writeFileSync(
      script,
      `import { Network } from ${JSON.stringify(join(src, 'engine/network.ts'))}
import { defaultExperiment, runConfigs } from ${JSON.stringify(join(src, 'experiment.ts'))}
const config = runConfigs(defaultExperiment())[0]
const net = new Network(config)
net.weights.set(config.weights)
console.log(JSON.stringify({ kernel: net.kernel !== null, loss: net.run(net.weights, net.biases) }))
`
    )
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', script], { encoding: 'utf8' })
    const got = JSON.parse(out.trim().split('\n').pop()!)
    const config = runConfigs(defaultExperiment())[0]
    const net = new Network(config)
    net.weights.set(config.weights)
    expect(net.kernel).not.toBeNull()
    expect(got).toEqual({ kernel: false, loss: net.run(net.weights, net.biases) })
  })
})
