import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { writeSuggestions, type CompareAdditions } from '../../src/suggest/write-suggestions.js'

const none: CompareAdditions = { ignore: [], typeOnly: [], unordered: [], accept: [] }
const add = (a: Partial<CompareAdditions>): CompareAdditions => ({ ...none, ...a })

const HEAD = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }   # the monolith
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
`

describe('writeSuggestions keeps the file as it was around what it adds', () => {
  it('adds to a block list, a flow list and a block accept list in their own styles, adds a missing key at the compare indentation, replaces a smaller tolerance', () => {
    const text = HEAD + `routes:
  - name: orders          # the first route
    match: { path: /orders }
    serve: legacy
    shadow: orders
    compare:
      ignore:
        - "$.requestId"   # ours
      unordered: [ "$.items" ]   # shuffled
      tolerance: 0.001
      accept:
        - path: $status
          primary: 200
          shadow: 201

  # next: customers
  - name: customers
    match: { path: /customers }
    serve: legacy
`
    const out = writeSuggestions(text, [{
      index: 0,
      route: 'orders',
      add: add({ ignore: ['$.traceId'], unordered: ['$.tags'], typeOnly: ['$.at'], tolerance: 0.01, accept: [{ path: '$.bio', primary: '', shadow: null }] })
    }])
    expect(out).toMatchObject({ added: 5, relaidOut: false, skipped: [] })
    expect(out.text).toBe(HEAD + `routes:
  - name: orders          # the first route
    match: { path: /orders }
    serve: legacy
    shadow: orders
    compare:
      ignore:
        - "$.requestId"   # ours
        - "$.traceId"
      unordered: [ "$.items", "$.tags" ]   # shuffled
      tolerance: 0.01
      accept:
        - path: $status
          primary: 200
          shadow: 201
        - { path: "$.bio", primary: "", shadow: null }
      typeOnly: ["$.at"]

  # next: customers
  - name: customers
    match: { path: /customers }
    serve: legacy
`)
  })

  it('creates compare: in a block route (one level under its keys) and in a flow route', () => {
    const text = HEAD + `routes:
  -   name: a
      match:
          path: /a
      serve: legacy
      shadow: orders
  - { name: b, match: { path: /b }, serve: legacy, shadow: orders }   # compact
`
    const out = writeSuggestions(text, [
      { index: 0, route: 'a', add: add({ ignore: ['$.id'], accept: [{ path: '$status', primary: 200, shadow: 201 }] }) },
      { index: 1, route: 'b', add: add({ typeOnly: ['$.at'], tolerance: 0.00001 }) }
    ])
    expect(out.text).toBe(HEAD + `routes:
  -   name: a
      match:
          path: /a
      serve: legacy
      shadow: orders
      compare:
          ignore: ["$.id"]
          accept:
            - { path: "$status", primary: 200, shadow: 201 }
  - { name: b, match: { path: /b }, serve: legacy, shadow: orders, compare: { typeOnly: ["$.at"], tolerance: 0.00001 } }   # compact
`)
  })

  it('never adds an entry the route already has; a larger tolerance stays', () => {
    const text = HEAD + `routes:
  - name: a
    match: { path: /a }
    serve: legacy
    shadow: orders
    compare:
      ignore: ["$.id"]
      tolerance: 0.1
      accept: [{ path: "$status", primary: 200, shadow: 201 }]
`
    const out = writeSuggestions(text, [{ index: 0, route: 'a', add: add({ ignore: ['$.id', '$.id'], tolerance: 0.01, accept: [{ path: '$status', primary: 200, shadow: 201 }] }) }])
    expect(out).toEqual({ text, added: 0, skipped: [], relaidOut: false })
  })

  it('leaves a route alone when routes[i] is no longer that route', () => {
    const text = HEAD + 'routes:\n  - { name: renamed, match: { path: /a }, serve: legacy }\n'
    const out = writeSuggestions(text, [{ index: 0, route: 'a', add: add({ ignore: ['$.id'] }) }])
    expect(out.text).toBe(text)
    expect(out.skipped).toEqual([{ route: 'a', why: 'routes[0] of the file is no longer route a' }])
  })

  it('keeps a JSON rules file JSON', () => {
    const text = JSON.stringify({ version: 1, upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, orders: { url: 'http://127.0.0.1:4000' } }, serve: 'legacy', routes: [{ name: 'a', match: { path: '/a' }, serve: 'legacy', shadow: 'orders', compare: { ignore: ['$.x'] } }, { name: 'b', match: { path: '/b' }, serve: 'legacy', shadow: 'orders' }] }, null, 2) + '\n'
    const out = writeSuggestions(text, [
      { index: 0, route: 'a', add: add({ ignore: ['$.y'], accept: [{ path: '$.bio', primary: '' }] }) },
      { index: 1, route: 'b', add: add({ unordered: ['$.items'] }) }
    ])
    const doc = JSON.parse(out.text) as { routes: Array<{ compare: unknown }> }
    expect(doc.routes[0]!.compare).toEqual({ ignore: ['$.x', '$.y'], accept: [{ path: '$.bio', primary: '' }] })
    expect(doc.routes[1]!.compare).toEqual({ unordered: ['$.items'] })
    expect(out.relaidOut).toBe(false)
  })

  it('an empty compare: is filled through the Document: comments kept, the layout laid out afresh (said so)', () => {
    const text = HEAD + `routes:
  # the only route
  - name: a
    match: { path: /a }
    serve: legacy
    shadow: orders
    compare:
`
    const out = writeSuggestions(text, [{ index: 0, route: 'a', add: add({ ignore: ['$.id'] }) }])
    expect(out.relaidOut).toBe(true)
    expect(out.text).toContain('# the only route')
    expect(out.text).toContain('# the monolith')
    expect((parse(out.text) as { routes: Array<{ compare: unknown }> }).routes[0]!.compare).toEqual({ ignore: ['$.id'] })
  })

  it('refuses to write into a compare another route shares through an alias', () => {
    const text = HEAD + `routes:
  - name: a
    match: { path: /a }
    serve: legacy
    shadow: orders
    compare: &shared
      ignore: ["$.x"]
  - name: b
    match: { path: /b }
    serve: legacy
    shadow: orders
    compare: *shared
`
    expect(() => writeSuggestions(text, [{ index: 1, route: 'b', add: add({ ignore: ['$.y'] }) }])).toThrow(/add them by hand/)
    expect(() => writeSuggestions(text, [{ index: 0, route: 'a', add: add({ ignore: ['$.y'] }) }])).toThrow(/add them by hand/)
  })
})
