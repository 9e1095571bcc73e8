import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../src/shared/document/canonical-json'
import { contentHash, sha256Hex } from '../../../src/shared/document/hash'

const nodeSha = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex')

describe('sha256Hex (@noble/hashes over UTF-8 slices)', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
    )
  })

  it('agrees with node:crypto on every length around the block boundaries and on any Unicode', () => {
    for (let n = 0; n < 200; n++) expect(sha256Hex('x'.repeat(n))).toBe(nodeSha('x'.repeat(n)))
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => sha256Hex(s) === nodeSha(s)),
      { numRuns: 500 }
    )
  })

  it('hashes a lone surrogate as U+FFFD, as Buffer and TextEncoder do', () => {
    expect(sha256Hex('a\ud800b')).toBe(nodeSha('a\ud800b'))
  })

  it('keeps a surrogate pair whole where a long text is encoded slice by slice', () => {
    // 2^20 characters a slice: put an emoji across the first boundary, and one more at the end.
    const text = 'x'.repeat((1 << 20) - 1) + '😀' + 'é'.repeat(1000) + '😀'
    expect(sha256Hex(text)).toBe(nodeSha(text))
  })
})

describe('canonicalJson and contentHash', () => {
  it('ignores key order and indentation but not values', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x","d":2}]}')
    const a = contentHash(JSON.parse('{ "x": 1, "y": [0.1, 2] }'))
    expect(contentHash(JSON.parse('{"y":[0.1,2],"x":1}'))).toBe(a)
    expect(contentHash({ x: 1, y: [0.1, 2.0000000000000004] })).not.toBe(a)
  })

  it('keeps −0 apart from 0, as the files do', () => {
    expect(canonicalJson({ a: -0, b: [0, -0, 1.5] })).toBe('{"a":-0,"b":[0,-0,1.5]}')
    expect(Object.is(JSON.parse(canonicalJson([-0]))[0], -0)).toBe(true)
    expect(contentHash({ a: -0 })).not.toBe(contentHash({ a: 0 }))
  })

  it('leaves the hash field itself out', () => {
    expect(contentHash({ x: 1, hash: 'sha256:whatever' })).toBe(contentHash({ x: 1 }))
  })
})
