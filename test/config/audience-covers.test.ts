import { describe, expect, test } from 'vitest'
import { audienceCovers } from '../../src/config/audience-covers.js'
import { parsePathPattern, patternCovers } from '../../src/config/path-pattern.js'
import type { HostCondition, RouteMatch, ValueCondition } from '../../src/config/types.js'

interface Audience { headers?: ValueCondition[]; query?: ValueCondition[]; host?: HostCondition }
const m = (a: Audience = {}, path = '/x'): RouteMatch => ({ methods: null, path: parsePathPattern(path), headers: a.headers ?? [], query: a.query ?? [], host: a.host ?? null })
const acme: ValueCondition = { name: 'x-tenant', equals: 'acme' }

describe('audienceCovers(a, b): every request meeting b\'s conditions meets a\'s', () => {
  test.each<[string, Audience, Audience]>([
    ['no conditions cover any audience', {}, { headers: [acme], host: { exact: 'a.example.com' } }],
    ['the same header value', { headers: [acme] }, { headers: [acme] }],
    ['the same header value, b stricter', { headers: [acme] }, { headers: [acme, { name: 'x-beta', present: true }], query: [{ name: 'q', equals: '1' }] }],
    ['a header present, from an exact value', { headers: [{ name: 'x-tenant', present: true }] }, { headers: [acme] }],
    ['a header present, from present', { headers: [{ name: 'x-tenant', present: true }] }, { headers: [{ name: 'x-tenant', present: true }] }],
    ['a header absent, from absent', { headers: [{ name: 'x-debug', present: false }] }, { headers: [{ name: 'x-debug', present: false }] }],
    ['header values compare trimmed', { headers: [acme] }, { headers: [{ name: 'x-tenant', equals: ' acme ' }] }],
    ['the same query value', { query: [{ name: 'beta', equals: '1' }] }, { query: [{ name: 'beta', equals: '1' }] }],
    ['an exact host', { host: { exact: 'api.example.com' } }, { host: { exact: 'api.example.com' } }],
    ['a wildcard host, from a host below it', { host: { suffix: '.example.com' } }, { host: { exact: 'api.example.com' } }],
    ['a wildcard host, from the same or a deeper wildcard', { host: { suffix: '.example.com' } }, { host: { suffix: '.eu.example.com' } }]
  ])('%s', (_, a, b) => {
    expect(audienceCovers(m(a), m(b))).toBe(true)
  })

  test.each<[string, Audience, Audience]>([
    ['a condition does not cover the unconditioned', { headers: [acme] }, {}],
    ['another header value', { headers: [acme] }, { headers: [{ name: 'x-tenant', equals: 'globex' }] }],
    ['a value from mere presence', { headers: [acme] }, { headers: [{ name: 'x-tenant', present: true }] }],
    ['present from absent', { headers: [{ name: 'x-tenant', present: true }] }, { headers: [{ name: 'x-tenant', present: false }] }],
    ['absent from present', { headers: [{ name: 'x-debug', present: false }] }, { headers: [{ name: 'x-debug', present: true }] }],
    ['absent from a value', { headers: [{ name: 'x-debug', present: false }] }, { headers: [{ name: 'x-debug', equals: '0' }] }],
    ['a header condition from a query one of the same name', { headers: [{ name: 'beta', equals: '1' }] }, { query: [{ name: 'beta', equals: '1' }] }],
    ['query names are case-sensitive', { query: [{ name: 'beta', equals: '1' }] }, { query: [{ name: 'Beta', equals: '1' }] }],
    ['query values are not trimmed', { query: [{ name: 'beta', equals: '1' }] }, { query: [{ name: 'beta', equals: ' 1' }] }],
    ['a and b each stricter on another name', { headers: [acme] }, { query: [{ name: 'beta', equals: '1' }] }],
    ['another exact host', { host: { exact: 'api.example.com' } }, { host: { exact: 'www.example.com' } }],
    ['an exact host from a wildcard', { host: { exact: 'api.example.com' } }, { host: { suffix: '.example.com' } }],
    ['a wildcard from its bare domain', { host: { suffix: '.example.com' } }, { host: { exact: 'example.com' } }],
    ['a wildcard from a look-alike domain', { host: { suffix: '.example.com' } }, { host: { exact: 'badexample.com' } }],
    ['a deeper wildcard from a shallower one', { host: { suffix: '.eu.example.com' } }, { host: { suffix: '.example.com' } }]
  ])('not: %s', (_, a, b) => {
    expect(audienceCovers(m(a), m(b))).toBe(false)
  })

  test('patternCovers needs the audience to cover as well as the method and the path', () => {
    expect(patternCovers(m({ headers: [acme] }, '/api/**'), m({ headers: [acme] }, '/api/orders/{id}'))).toBe(true)
    expect(patternCovers(m({ headers: [acme] }, '/api/**'), m({}, '/api/orders/{id}'))).toBe(false)
    expect(patternCovers(m({}, '/api/**'), m({ headers: [acme] }, '/api/orders/{id}'))).toBe(true)
    expect(patternCovers(m({ headers: [acme] }, '/api/orders'), m({ headers: [acme] }, '/api/users'))).toBe(false)
  })
})
