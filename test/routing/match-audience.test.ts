import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { RouteMatch } from '../../src/config/types.js'
import { AudienceRequest } from '../../src/routing/audience-request.js'
import { hasAudience, matchesAudience } from '../../src/routing/match-audience.js'

/** The match of a one-route rules file, built by the real loader. */
function matchOf (match: string): RouteMatch {
  const loaded = loadRulesText(`version: 1
upstreams: { legacy: { url: http://127.0.0.1:3000 } }
serve: legacy
routes:
  - name: r
    match: { path: /x, ${match} }
    serve: legacy
`, 'rules.yaml')
  if (!loaded.ok) throw new Error(loaded.errors.map(e => e.message).join('\n'))
  return loaded.rules.routes[0]!.match
}

/** rawHeaders as Node gives them: names as sent, one entry per field line. */
function holds (match: RouteMatch, headers: Array<[string, string]>, query = ''): boolean {
  return matchesAudience(match, new AudienceRequest(headers.flat(), query))
}

describe('match.headers', () => {
  const tenant = matchOf('headers: { x-tenant: acme }')

  it('holds on the exact value, header names in any case, the value case-sensitive', () => {
    expect(holds(tenant, [['X-Tenant', 'acme']])).toBe(true)
    expect(holds(tenant, [['x-tenant', 'ACME']])).toBe(false)
    expect(holds(tenant, [['x-tenant', 'acme-eu']])).toBe(false)
    expect(holds(tenant, [])).toBe(false)
    expect(holds(tenant, [['x-tenants', 'acme']])).toBe(false)
  })

  it('compares after trimming the sent value', () => {
    expect(holds(tenant, [['x-tenant', '  acme\t']])).toBe(true)
  })

  it('a header sent more than once holds when any one value equals, also within a comma-separated line', () => {
    expect(holds(tenant, [['x-tenant', 'globex'], ['X-TENANT', 'acme']])).toBe(true)
    expect(holds(tenant, [['x-tenant', 'globex, acme']])).toBe(true)
    expect(holds(tenant, [['x-tenant', 'globex'], ['x-tenant', 'initech']])).toBe(false)
    expect(holds(matchOf('headers: { x-client: "app, v2" }'), [['x-client', 'app, v2']])).toBe(true)
  })

  it('present: true holds for any value, even empty; present: false only when the header is not sent at all', () => {
    const beta = matchOf('headers: { x-beta: { present: true } }')
    expect(holds(beta, [['x-beta', '']])).toBe(true)
    expect(holds(beta, [['x-beta', 'anything']])).toBe(true)
    expect(holds(beta, [['x-other', '1']])).toBe(false)
    const noDebug = matchOf('headers: { x-debug: { present: false } }')
    expect(holds(noDebug, [])).toBe(true)
    expect(holds(noDebug, [['X-Debug', '']])).toBe(false)
    expect(holds(noDebug, [['x-debug', '0'], ['x-debug', '1']])).toBe(false)
  })

  it('a number in the rules is compared as the text it reads as', () => {
    expect(holds(matchOf('headers: { x-version: 2 }'), [['x-version', '2']])).toBe(true)
  })
})

describe('match.host', () => {
  const exact = matchOf('host: api.example.com')
  const wildcard = matchOf('host: "*.example.com"')

  it('compares the Host header lower-cased, without its port', () => {
    expect(holds(exact, [['Host', 'api.example.com']])).toBe(true)
    expect(holds(exact, [['host', 'API.Example.COM:8080']])).toBe(true)
    expect(holds(exact, [['host', 'api.example.com.']])).toBe(true)
    expect(holds(exact, [['host', 'api.example.com.evil.net']])).toBe(false)
    expect(holds(exact, [['host', 'www.example.com']])).toBe(false)
  })

  it('a wildcard takes any name below the domain, never the domain itself or a look-alike', () => {
    expect(holds(wildcard, [['host', 'api.example.com']])).toBe(true)
    expect(holds(wildcard, [['host', 'a.b.example.com:443']])).toBe(true)
    expect(holds(wildcard, [['host', 'example.com']])).toBe(false)
    expect(holds(wildcard, [['host', 'example.com:8080']])).toBe(false)
    expect(holds(wildcard, [['host', 'badexample.com']])).toBe(false)
    expect(holds(wildcard, [['host', '.example.com']])).toBe(false)
  })

  it('an IPv6 literal, with or without a port, is no host name; a missing Host header matches no host', () => {
    const ip = matchOf('host: 127.0.0.1')
    expect(holds(ip, [['host', '127.0.0.1:8080']])).toBe(true)
    expect(holds(exact, [['host', '[::1]:8080']])).toBe(false)
    expect(holds(exact, [['host', '[::1]']])).toBe(false)
    expect(holds(exact, [])).toBe(false)
    expect(new AudienceRequest(['Host', '[::1]:8080'], '').host()).toBe('[::1]')
    expect(new AudienceRequest(['Host', '[2001:DB8::1]'], '').host()).toBe('[2001:db8::1]')
  })
})

describe('match.query', () => {
  const beta = matchOf('query: { beta: "1" }')

  it('holds on the exact value, names case-sensitive', () => {
    expect(holds(beta, [], '?beta=1')).toBe(true)
    expect(holds(beta, [], '?page=2&beta=1&x')).toBe(true)
    expect(holds(beta, [], '?Beta=1')).toBe(false)
    expect(holds(beta, [], '?beta=10')).toBe(false)
    expect(holds(beta, [], '')).toBe(false)
  })

  it('compares values percent-decoded, + as a space, names decoded too', () => {
    const q = matchOf('query: { q: "caf\u00e9 au lait" }')
    expect(holds(q, [], '?q=caf%C3%A9+au%20lait')).toBe(true)
    expect(holds(q, [], '?q=caf%c3%a9%20au+lait')).toBe(true)
    expect(holds(beta, [], '?b%65ta=%31')).toBe(true)
    expect(holds(matchOf('query: { plus: "a+b" }'), [], '?plus=a%2Bb')).toBe(true)
    expect(holds(matchOf('query: { plus: "a+b" }'), [], '?plus=a+b')).toBe(false)
  })

  it('a malformed escape never throws: that value equals nothing, the parameter is still present', () => {
    const tag = matchOf('query: { tag: "%zz" }')
    expect(holds(tag, [], '?tag=%zz')).toBe(false)
    expect(holds(beta, [], '?beta=%E2&beta=%')).toBe(false)
    expect(holds(matchOf('query: { beta: { present: true } }'), [], '?beta=%E2')).toBe(true)
    expect(holds(beta, [], '?beta=%E2&beta=1')).toBe(true)
  })

  it('a parameter given more than once holds when any one value equals', () => {
    expect(holds(beta, [], '?beta=0&beta=1')).toBe(true)
  })

  it('present: true holds with or without a value; present: false only when the name is absent', () => {
    const present = matchOf('query: { debug: { present: true } }')
    expect(holds(present, [], '?debug')).toBe(true)
    expect(holds(present, [], '?debug=')).toBe(true)
    expect(holds(present, [], '?debugger=1')).toBe(false)
    const absent = matchOf('query: { debug: { present: false } }')
    expect(holds(absent, [], '?x=1')).toBe(true)
    expect(holds(absent, [], '')).toBe(true)
    expect(holds(absent, [], '?x=1&debug')).toBe(false)
  })

  it('an empty value is a value', () => {
    expect(holds(matchOf('query: { beta: "" }'), [], '?beta=')).toBe(true)
    expect(holds(matchOf('query: { beta: "" }'), [], '?beta')).toBe(true)
  })
})

describe('all conditions together (AND)', () => {
  const all = matchOf('headers: { x-tenant: acme, x-debug: { present: false } }, query: { beta: "1" }, host: "*.example.com"')
  const ok: Array<[string, string]> = [['Host', 'eu.example.com'], ['X-Tenant', 'acme']]

  it('holds only when every one holds', () => {
    expect(hasAudience(all)).toBe(true)
    expect(holds(all, ok, '?beta=1')).toBe(true)
    expect(holds(all, ok, '?beta=2')).toBe(false)
    expect(holds(all, [...ok, ['x-debug', '1']], '?beta=1')).toBe(false)
    expect(holds(all, [['Host', 'example.com'], ['X-Tenant', 'acme']], '?beta=1')).toBe(false)
    expect(holds(all, [['Host', 'eu.example.com']], '?beta=1')).toBe(false)
  })

  it('a route without conditions has no audience', () => {
    expect(hasAudience(matchOf('method: GET'))).toBe(false)
  })
})
