import { describe, expect, it } from 'vitest'
import { REDACTED, redactUrl } from '../../src/compare/redact.js'
import { DEFAULT_REDACTED_QUERY } from '../../src/config/sensitive-names.js'
import { redactCfg } from './helpers.js'
import { HEAD, loadErrors, loadOk } from '../config/helpers.js'

// regression (issue 12): query redaction missed `;`-separated parameters and
// short names (pw), yet masked `author`, `sortKey`, `monkey` by substring
const S = 'q-secret-4f2a9c'

describe('query redaction by exact sensitive names', () => {
  const rc = redactCfg()

  it('parses `;` as a separator as well as `&`, and keeps each separator', () => {
    expect(redactUrl(`/a?page=1;token=${S}&q=x;pw=${S}`, rc)).toBe('/a?page=1;token=[redacted]&q=x;pw=[redacted]')
  })

  it('catches short names and the variants of a listed name (case, -, _, .)', () => {
    const url = `/a?pw=${S}&PWD=${S}&sid=${S}&Access-Token=${S}&accessToken=${S}&client.secret=${S}&X-Amz-Signature=${S}&user%5Bpassword%5D=${S}`
    const out = redactUrl(url, rc)
    expect(out).not.toContain(S)
    expect(out).toBe('/a?pw=[redacted]&PWD=[redacted]&sid=[redacted]&Access-Token=[redacted]&accessToken=[redacted]&client.secret=[redacted]&X-Amz-Signature=[redacted]&user%5Bpassword%5D=[redacted]')
  })

  it('leaves everyday names that merely contain a sensitive word readable', () => {
    const url = '/books?author=ann&sortKey=title&monkey=1&keyword=x&tokenizer=ws&session_count=3&authored=2021&passenger=2&codec=h264'
    expect(redactUrl(url, rc)).toBe(url)
  })

  it('every default name is redacted, whatever its case', () => {
    for (const name of DEFAULT_REDACTED_QUERY) {
      expect(redactUrl(`/a?${name.toUpperCase()}=${S}`, rc), name).toBe(`/a?${name.toUpperCase()}=${REDACTED}`)
    }
  })

  it('masks a JWT-shaped value under any name, and keeps parameters without a value', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.U2lnbmF0dXJlLXF1ZXJ5'
    expect(redactUrl(`/cb?state=${jwt}&flag;x=1#frag`, rc)).toBe('/cb?state=[redacted]&flag;x=1#frag')
  })

  it('redact.query adds names, global and per route, merged like the other redact lists', async () => {
    const { rules } = await loadOk(HEAD + `redact: { query: [tenant_pin] }
routes:
  - name: a
    match: { path: /a }
    serve: legacy
    redact: { query: [Voucher-Code] }
  - name: b
    match: { path: /b }
    serve: legacy
`)
    const [a, b] = rules.routes
    expect(redactUrl(`/a?tenant_pin=${S}&voucher_code=${S}&page=1`, a!.redact)).toBe('/a?tenant_pin=[redacted]&voucher_code=[redacted]&page=1')
    expect(redactUrl(`/b?tenant_pin=${S}&voucher_code=v&page=1`, b!.redact)).toBe('/b?tenant_pin=[redacted]&voucher_code=v&page=1')
    expect(a!.redact.query).toEqual(expect.arrayContaining(['tenantpin', 'vouchercode', 'token', 'pw']))
  })

  it('redact.query names are validated', async () => {
    const errors = await loadErrors(HEAD + `redact: { query: ["a=b", "", "__", ok] }
routes:
  - { name: r, match: { path: /r }, serve: legacy, redact: { query: [7] } }
`)
    expect(errors.map(e => [e.code, e.at])).toEqual([
      ['RULES_INVALID_VALUE', 'redact.query[0]'],
      ['RULES_INVALID_VALUE', 'redact.query[1]'],
      ['RULES_INVALID_VALUE', 'redact.query[2]'],
      ['RULES_INVALID_VALUE', 'routes[0].redact.query[0]']
    ])
  })
})
