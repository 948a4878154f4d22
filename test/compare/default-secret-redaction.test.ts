import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { REDACTED, redactDifferences, redactJson } from '../../src/compare/redact.js'
import type { Difference } from '../../src/store/difference.js'
import { cfg, json, redactCfg } from './helpers.js'

// regression (issue 12): tokens in response bodies (JWTs from login
// endpoints) were stored in clear unless a redact.paths entry named them
const jwt = (tag: string): string => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTEiLCJ0YWciOiI${tag}In0.Sig_${tag}-x9Yq3ZkVw`
const A = jwt('primary')
const B = jwt('shadow')

describe('default redaction of secrets in stored differences', () => {
  it('masks a JWT-shaped value under any key, wherever it sits in a difference', () => {
    const p = json({ login: { result: A, note: `issued ${A} today` }, user: 'ann' })
    const s = json({ login: { result: B, note: `issued ${B} today` }, user: 'bob' })
    const r = compareExchange(p, s, cfg())
    // the comparison sees the real values...
    expect(r.outcome).toBe('mismatch')
    expect(r.differences.map(d => d.path)).toEqual(['$.login.result', '$.login.note', '$.user'])
    // ...the store does not
    const stored = redactDifferences(r.differences, redactCfg())
    expect(stored).toEqual([
      { kind: 'changed', path: '$.login.result', primary: REDACTED, shadow: REDACTED },
      { kind: 'changed', path: '$.login.note', primary: 'issued [redacted] today', shadow: 'issued [redacted] today' },
      { kind: 'changed', path: '$.user', primary: 'ann', shadow: 'bob' }
    ])
  })

  it('masks values under secret-named keys and their common variants, not look-alikes', () => {
    const diffs: Difference[] = [
      { kind: 'changed', path: '$.data.accessToken', primary: 'opaque-a', shadow: 'opaque-b' },
      { kind: 'changed', path: '$.refresh_token', primary: 'r1', shadow: 'r2' },
      { kind: 'added', path: '$.client', shadow: { id: 7, client_secret: 's3', apiKey: 'k', Password: 1234, hasPassword: true, nextPageToken: 'p2', tokenizer: 'ws' } },
      { kind: 'removed', path: '$.creds', primary: { password: { hash: 'h', salt: 's' }, secret: null } },
      { kind: 'type', path: '$.api_key', primary: 'number', shadow: 'string', primaryValue: 12345, shadowValue: '12345' },
      { kind: 'changed', path: '$.author', primary: 'ann', shadow: 'bob' }
    ]
    expect(redactDifferences(diffs, redactCfg())).toEqual([
      { kind: 'changed', path: '$.data.accessToken', primary: REDACTED, shadow: REDACTED },
      { kind: 'changed', path: '$.refresh_token', primary: REDACTED, shadow: REDACTED },
      { kind: 'added', path: '$.client', shadow: { id: 7, client_secret: REDACTED, apiKey: REDACTED, Password: REDACTED, hasPassword: true, nextPageToken: 'p2', tokenizer: 'ws' } },
      // the shape stays readable, null carries no secret
      { kind: 'removed', path: '$.creds', primary: { password: { hash: REDACTED, salt: REDACTED }, secret: null } },
      { kind: 'type', path: '$.api_key', primary: 'number', shadow: 'string', primaryValue: REDACTED, shadowValue: REDACTED },
      { kind: 'changed', path: '$.author', primary: 'ann', shadow: 'bob' }
    ])
  })

  it('masks JWTs in header values, body descriptions and paths', () => {
    const diffs: Difference[] = [
      { kind: 'header', path: "$headers['x-session']", header: 'x-session', primary: `Bearer ${A}`, shadow: null },
      { kind: 'body', path: '$body', primary: `text, 120 bytes: "token=${A}"`, shadow: 'text, 3 bytes: "nop"' },
      { kind: 'added', path: `$.sessions['${A}']`, shadow: 1 }
    ]
    const out = JSON.stringify(redactDifferences(diffs, redactCfg()))
    expect(out).not.toContain('Sig_primary')
    expect(out).toContain('Bearer [redacted]')
    expect(out).toContain("$.sessions['[redacted]']")
  })

  it('redact.keep opts a path out of the defaults, not out of redact.paths', () => {
    const diffs: Difference[] = [
      { kind: 'changed', path: '$.page.token', primary: 'p1', shadow: 'p2' },
      { kind: 'changed', path: '$.sample', primary: A, shadow: B },
      { kind: 'added', path: '$.auth', shadow: { token: 't', public: { token: 'pub' } } },
      { kind: 'changed', path: '$.page.password', primary: 'x', shadow: 'y' }
    ]
    const out = redactDifferences(diffs, redactCfg({ keep: ['$.page.token', '$.sample', '$.auth.public', '$.page.password'], paths: ['$..password'] }))
    expect(out).toEqual([
      { kind: 'changed', path: '$.page.token', primary: 'p1', shadow: 'p2' },
      { kind: 'changed', path: '$.sample', primary: A, shadow: B },
      { kind: 'added', path: '$.auth', shadow: { token: REDACTED, public: { token: 'pub' } } },
      { kind: 'changed', path: '$.page.password', primary: REDACTED, shadow: REDACTED }
    ])
  })

  it('a stored body gets the same defaults', () => {
    const body = { access_token: A, token_type: 'bearer', expires_in: 3600, user: { name: 'ann', id_token: B } }
    expect(redactJson(body, redactCfg())).toEqual({ access_token: REDACTED, token_type: 'bearer', expires_in: 3600, user: { name: 'ann', id_token: REDACTED } })
  })
})
