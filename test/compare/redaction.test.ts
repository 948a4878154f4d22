import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import type { Difference } from '../../src/store/difference.js'
import { REDACTED, redactDifferences, redactHeaders, redactJson, redactUrl } from '../../src/compare/redact.js'
import { cfg, json, redactCfg } from './helpers.js'

const SECRET = 'sk_live_9f8e7d6c5b4a'

describe('redaction before storing', () => {
  it('redactHeaders masks listed and always-redacted headers, case-insensitively, and copies', () => {
    const h = { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET, 'set-cookie': [`a=${SECRET}`, 'b=2'], accept: 'json' }
    const out = redactHeaders(h, redactCfg({ headers: ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'] }))
    expect(out).toEqual({ Authorization: REDACTED, 'X-Api-Key': REDACTED, 'set-cookie': [REDACTED, REDACTED], accept: 'json' })
    expect(h.Authorization).toBe(`Bearer ${SECRET}`)
    expect(JSON.stringify(out)).not.toContain(SECRET)
    // authorization is masked even when a config forgets it
    expect(redactHeaders({ authorization: SECRET }, redactCfg({ headers: [] }))).toEqual({ authorization: REDACTED })
  })

  it('redactJson replaces values at listed paths, at any depth, in a deep copy', () => {
    const v = { user: { name: 'ann', password: SECRET, sessions: [{ token: SECRET }, { token: SECRET }] }, token: SECRET, items: [{ card: { number: SECRET } }] }
    const out = redactJson(v, redactCfg({ paths: ['$..password', '$..token', '$.items[*].card'] }))
    expect(out).toEqual({ user: { name: 'ann', password: REDACTED, sessions: [{ token: REDACTED }, { token: REDACTED }] }, token: REDACTED, items: [{ card: REDACTED }] })
    expect(JSON.stringify(out)).not.toContain(SECRET)
    expect(v.user.password).toBe(SECRET)
  })

  it('redactDifferences masks differences at, under and containing a redacted path', () => {
    const diffs: Difference[] = [
      { kind: 'changed', path: '$.user.password', primary: SECRET, shadow: 'other' },
      { kind: 'changed', path: '$.auth.token.value', primary: SECRET, shadow: SECRET + 'x' },
      { kind: 'added', path: '$.user', shadow: { name: 'bob', password: SECRET } },
      { kind: 'removed', path: '$.sessions[2]', primary: { id: 1, token: SECRET } },
      { kind: 'changed', path: '$.user.name', primary: 'ann', shadow: 'bob' },
      { kind: 'header', path: "$headers['x-api-key']", header: 'x-api-key', primary: SECRET, shadow: null },
      { kind: 'header', path: "$headers['authorization']", header: 'authorization', primary: SECRET, shadow: 'Bearer x' },
      { kind: 'header', path: "$headers['etag']", header: 'etag', primary: 'a', shadow: 'b' }
    ]
    const out = redactDifferences(diffs, redactCfg({ headers: ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'], paths: ['$..password', '$.auth.token'] }))
    expect(out).toEqual([
      { kind: 'changed', path: '$.user.password', primary: REDACTED, shadow: REDACTED },
      { kind: 'changed', path: '$.auth.token.value', primary: REDACTED, shadow: REDACTED },
      { kind: 'added', path: '$.user', shadow: { name: 'bob', password: REDACTED } },
      // not under a listed path, but `token` is a secret name by default
      { kind: 'removed', path: '$.sessions[2]', primary: { id: 1, token: REDACTED } },
      { kind: 'changed', path: '$.user.name', primary: 'ann', shadow: 'bob' },
      { kind: 'header', path: "$headers['x-api-key']", header: 'x-api-key', primary: REDACTED, shadow: null },
      { kind: 'header', path: "$headers['authorization']", header: 'authorization', primary: REDACTED, shadow: REDACTED },
      { kind: 'header', path: "$headers['etag']", header: 'etag', primary: 'a', shadow: 'b' }
    ])
  })

  it('end to end: a compared secret appears nowhere in what would be stored', () => {
    const p = json({ user: { token: SECRET, n: 1 }, list: [{ password: SECRET }] }, 200, { 'x-api-key': SECRET, authorization: SECRET })
    const s = json({ user: { token: SECRET + '2', n: 1 }, list: [{ password: SECRET }, { password: SECRET }] }, 200, { 'x-api-key': 'k2' })
    const r = compareExchange(p, s, cfg({ headers: ['x-api-key', 'authorization'] }))
    expect(r.outcome).toBe('mismatch')
    expect(JSON.stringify(r)).toContain(SECRET) // compared as they were
    const rc = redactCfg({ headers: ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'], paths: ['$..token', '$..password'] })
    const stored = {
      url: redactUrl(`/api/users?page=2&access_token=${SECRET}&api_key=${SECRET}`, rc),
      differences: redactDifferences(r.differences, rc),
      headers: redactHeaders(p.headers, rc)
    }
    expect(JSON.stringify(stored)).not.toContain(SECRET)
    expect(JSON.stringify(stored)).not.toContain(SECRET.slice(0, 12))
    expect(stored.url).toBe('/api/users?page=2&access_token=[redacted]&api_key=[redacted]')
  })

  it('redactUrl masks sensitive query parameters and keeps the rest as written', () => {
    const rc = redactCfg({ headers: ['authorization', 'x-tenant-secret'] })
    expect(redactUrl('/a/b', rc)).toBe('/a/b')
    expect(redactUrl('/a?page=2&sort=asc', rc)).toBe('/a?page=2&sort=asc')
    expect(redactUrl(`/a?Password=${SECRET}&q=x%20y&SessionId=1&sig=abc&code=42#frag`, rc))
      .toBe('/a?Password=[redacted]&q=x%20y&SessionId=[redacted]&sig=[redacted]&code=[redacted]#frag')
    expect(redactUrl(`/a?authorization=${SECRET}&x-tenant-secret=1&apiKey=2&client%5Fsecret=3`, rc))
      .toBe('/a?authorization=[redacted]&x-tenant-secret=[redacted]&apiKey=[redacted]&client%5Fsecret=[redacted]')
    expect(redactUrl(`http://h:1/a?token=${SECRET}&flag`, rc)).toBe('http://h:1/a?token=[redacted]&flag')
  })
})
