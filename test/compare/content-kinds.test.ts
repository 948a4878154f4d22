import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bodyKind } from '../../src/compare/body-kind.js'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, raw } from './helpers.js'

describe('bodies by content kind', () => {
  it('classifies content types', () => {
    expect(bodyKind('application/json')).toBe('json')
    expect(bodyKind('Application/JSON; charset=utf-8')).toBe('json')
    expect(bodyKind('application/problem+json')).toBe('json')
    expect(bodyKind('application/vnd.api+json')).toBe('json')
    expect(bodyKind('text/html; charset=utf-8')).toBe('text')
    expect(bodyKind('text/plain')).toBe('text')
    expect(bodyKind('application/xml')).toBe('xml')
    expect(bodyKind('application/atom+xml')).toBe('xml')
    expect(bodyKind('application/javascript')).toBe('text')
    expect(bodyKind('application/x-www-form-urlencoded')).toBe('text')
    expect(bodyKind('image/png')).toBe('binary')
    expect(bodyKind('application/octet-stream')).toBe('binary')
    expect(bodyKind(undefined)).toBe('binary')
    expect(bodyKind(['application/json'])).toBe('json')
  })

  it('text is compared exactly: one character differs -> a body difference with size and hash', () => {
    const a = 'hello world\n'
    const b = 'hello World\n'
    const r = compareExchange(raw(a, { 'content-type': 'text/plain' }), raw(b, { 'content-type': 'text/plain' }), cfg())
    expect(r.outcome).toBe('mismatch')
    const sha = createHash('sha256').update(a).digest('hex').slice(0, 16)
    expect(r.differences).toEqual([{ kind: 'body', path: '$body', primary: `text, 12 bytes, sha256 ${sha}…`, shadow: expect.stringMatching(/^text, 12 bytes, sha256 [0-9a-f]{16}…$/) }])
  })

  it('text equal byte for byte matches, whitespace counts', () => {
    const h = { 'content-type': 'text/html' }
    expect(compareExchange(raw('<p>x</p>', h), raw('<p>x</p>', h), cfg()).outcome).toBe('match')
    expect(compareExchange(raw('<p>x</p>', h), raw('<p>x</p> ', h), cfg()).outcome).toBe('mismatch')
  })

  it('binary is compared by sha256', () => {
    const h = { 'content-type': 'image/png' }
    const bytes = Buffer.from([0, 1, 2, 255, 254])
    expect(compareExchange(raw(bytes, h), raw(Buffer.from(bytes), h), cfg()).outcome).toBe('match')
    const other = Buffer.from([0, 1, 2, 255, 253])
    const r = compareExchange(raw(bytes, h), raw(other, h), cfg())
    expect(r.differences).toEqual([{
      kind: 'body',
      path: '$body',
      primary: `binary, 5 bytes, sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}…`,
      shadow: `binary, 5 bytes, sha256 ${createHash('sha256').update(other).digest('hex').slice(0, 16)}…`
    }])
  })

  it('a body description never contains the body text', () => {
    const h = { 'content-type': 'text/plain' }
    const r = compareExchange(raw('token=s3cr3t-value', h), raw('token=other-value', h), cfg())
    expect(JSON.stringify(r)).not.toContain('s3cr3t')
  })

  it('no body and an empty body are equal; empty against text differs', () => {
    expect(compareExchange(raw(null), raw(Buffer.alloc(0)), cfg()).outcome).toBe('match')
    const r = compareExchange(raw(null, { 'content-type': 'text/plain' }), raw('x', { 'content-type': 'text/plain' }), cfg())
    expect(r.differences).toEqual([{ kind: 'body', path: '$body', primary: 'empty', shadow: expect.stringMatching(/^text, 1 bytes/) }])
  })

  it('JSON sent with a text label on one side is still compared structurally', () => {
    const r = compareExchange(raw('{"a":1,"b":2}', { 'content-type': 'application/json' }), raw('{"b":2, "a":1}', { 'content-type': 'text/html' }), cfg())
    expect(r.outcome).toBe('match')
  })
})
