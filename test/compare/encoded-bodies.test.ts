import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { decodeBody } from '../../src/compare/decode-body.js'
import { cfg, raw } from './helpers.js'

const doc = Buffer.from(JSON.stringify({ items: [{ id: 1, price: 10 }, { id: 2, price: 20 }] }))
const jsonH = { 'content-type': 'application/json' }

describe('content-encoded bodies are decoded before comparing', () => {
  it('gzip against plain, same document -> match', () => {
    const r = compareExchange(raw(gzipSync(doc), { ...jsonH, 'content-encoding': 'gzip' }), raw(doc, jsonH), cfg())
    expect(r).toEqual({ outcome: 'match', differences: [], truncated: false })
  })

  it('br against gzip -> match; a real change inside is found', () => {
    expect(compareExchange(raw(brotliCompressSync(doc), { ...jsonH, 'content-encoding': 'br' }), raw(gzipSync(doc), { ...jsonH, 'content-encoding': 'gzip' }), cfg()).outcome).toBe('match')
    const changed = Buffer.from(doc.toString().replace('20', '21'))
    const r = compareExchange(raw(brotliCompressSync(doc), { ...jsonH, 'content-encoding': 'br' }), raw(brotliCompressSync(changed), { ...jsonH, 'content-encoding': 'BR' }), cfg())
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.items[1].price', primary: 20, shadow: 21 }])
  })

  it('deflate, zlib-wrapped and raw, both decode', () => {
    expect(decodeBody(deflateSync(doc), 'deflate')).toMatchObject({ ok: true, body: doc })
    expect(decodeBody(deflateRawSync(doc), 'deflate')).toMatchObject({ ok: true, body: doc })
    expect(compareExchange(raw(deflateRawSync(doc), { ...jsonH, 'content-encoding': 'deflate' }), raw(doc, jsonH), cfg()).outcome).toBe('match')
  })

  it('a chain "gzip, br" is undone in reverse order', () => {
    const body = brotliCompressSync(gzipSync(doc))
    expect(decodeBody(body, 'gzip, br')).toMatchObject({ ok: true, body: doc, encodings: ['gzip', 'br'] })
    expect(decodeBody(body, ['gzip', 'br'])).toMatchObject({ ok: true, body: doc })
  })

  it('identity and no encoding pass through; an empty body is empty whatever the header says', () => {
    expect(decodeBody(doc, 'identity')).toMatchObject({ ok: true, body: doc })
    expect(decodeBody(Buffer.alloc(0), 'gzip')).toMatchObject({ ok: true })
    expect(decodeBody(null, undefined)).toMatchObject({ ok: true })
  })

  it('corrupt or unknown encodings are typed failures, not throws', async () => {
    expect(decodeBody(Buffer.from('not gzip at all'), 'gzip')).toMatchObject({ ok: false, error: { code: 'corrupt', encoding: 'gzip' } })
    expect(decodeBody(gzipSync(doc).subarray(0, 20), 'gzip')).toMatchObject({ ok: false, error: { code: 'corrupt' } })
    expect(decodeBody(doc, 'compress')).toMatchObject({ ok: false, error: { code: 'unsupported-encoding', encoding: 'compress' } })
    expect(decodeBody(gzipSync(Buffer.alloc(10_000)), 'gzip', { maxBytes: 1000 })).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(decodeBody(Buffer.from('xx'), 'br')).toMatchObject({ ok: false, error: { code: 'corrupt', encoding: 'br' } })
  })

  it('decodes chains and raw deflate', () => {
    expect(decodeBody(brotliCompressSync(gzipSync(doc)), 'gzip, br')).toMatchObject({ ok: true, body: doc })
    expect(decodeBody(deflateRawSync(doc), 'deflate')).toMatchObject({ ok: true, body: doc })
  })

  it('a corrupt encoding on one side is a body difference, never a throw', () => {
    const r = compareExchange(raw(Buffer.from('garbage'), { ...jsonH, 'content-encoding': 'gzip' }), raw(doc, jsonH), cfg())
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toEqual([{ kind: 'body', path: '$body', primary: expect.stringMatching(/^undecodable gzip \(corrupt\), 7 bytes/), shadow: expect.stringMatching(/^json, \d+ bytes/) }])
  })
})
