import { describe, expect, it } from 'vitest'
import { HEAD, loadErrors, loadOk } from './helpers.js'

const route = (transform: string, match = '/api/customers/{id}'): string => `${HEAD}routes:
  - name: customer
    match: { path: "${match}" }
    serve: legacy
    shadow: orders
    transform:
${transform}`

describe('transform in the rules file', () => {
  it('compiles a valid transform into the frozen route, keyed by upstream', async () => {
    const { rules } = await loadOk(route(`      orders:
        request:
          path: "/v2/customers/{id}"
          headers: { set: { X-Client: legacy-api }, remove: [X-Debug] }
          query: { rename: { q: search }, remove: [debug], set: { v: 2 } }
          body: [ { rename: { "$.customerName": "$.name" } } ]
        response:
          status: { 201: 200 }
          headers: { set: { cache-control: no-store }, remove: [x-powered-by] }
          body:
            - rename: { "$.phoneNumber": "$.phone" }
            - remove: ["$.internalNotes", "$..secret"]
            - set: { "$.apiVersion": 1 }
            - default: { "$.tags": [] }
            - copy: { "$.id": "$.legacyId" }
            - map: { "$.orders[*]": [ { rename: { "$.id": "$.orderId" } } ] }
          format: xml
`))
    const t = rules.routes[0]!.transform['orders']!
    expect(Object.isFrozen(t)).toBe(true)
    expect(t.request!.path).toBe('/v2/customers/{id}')
    expect(t.request!.headers).toEqual({ set: ['x-client', 'legacy-api'], remove: ['x-debug'] })
    expect(t.request!.query).toEqual({ rename: [['q', 'search']], remove: ['debug'], set: [['v', '2']] })
    expect(t.response!.status).toEqual({ 201: 200 })
    expect(t.response!.body.map((op) => op.op)).toEqual(['rename', 'remove', 'remove', 'set', 'default', 'copy', 'map'])
    expect(t.response!.format).toBe('xml')
    expect(rules.routes[0]!.transform['legacy']).toBeUndefined()
  })

  it('names each mistake with its line and column', async () => {
    const errors = await loadErrors(route(`      orders:
        request:
          path: "/v2/customers/{customerId}/{**}"
          query: { rename: { q: q } }
        response:
          status: { 201: 201 }
          body:
            - rename: { "$.name": "$.name" }
          format: yaml
      billing:
        response: { body: [ { set: { "$.items[*].a": 1 } } ] }
      legacy:
        response: { body: [ { frob: { "$.a": 1 } } ], arrays: ["$.a"] }
`))
    const lines = errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`)
    expect(lines).toEqual([
      expect.stringMatching(/^14:17 RULES_INVALID_VALUE .*\{customerId\} is not a param of match.path "\/api\/customers\/\{id\}" \(its params: \{id\}\)/),
      expect.stringMatching(/^14:17 RULES_INVALID_VALUE .*\{\*\*\} stands for the rest of the path under a match ending in \/\*\*/),
      expect.stringMatching(/^15:33 RULES_INVALID_VALUE .*rename "q" onto itself/),
      expect.stringMatching(/^17:19 RULES_INVALID_VALUE .*status 201 maps onto itself/),
      expect.stringMatching(/^19:13 RULES_INVALID_VALUE .*body\[0\]: rename "\$.name" onto itself changes nothing/),
      expect.stringMatching(/^20:19 RULES_INVALID_VALUE .*format: expected "xml" or "json"/),
      expect.stringMatching(/^21:7 RULES_UNKNOWN_UPSTREAM .*transform "billing": this route sends nothing to that upstream \(it sends to legacy, orders\)/),
      expect.stringMatching(/^22:27 RULES_INVALID_VALUE .*body\[0\]: set path "\$.items\[\*\].a" names no single place .*use map/),
      expect.stringMatching(/^24:27 RULES_INVALID_VALUE .*body\[0\]: unknown operation "frob"; known: rename, remove, set, default, copy, map/)
    ])
    // checks after a value's own: arrays needs format
    const more = await loadErrors(route(`      orders:
        response: { arrays: ["$.a"] }
`))
    expect(more.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([expect.stringMatching(/^13:29 .*arrays says how XML is read: it needs format: json or xml/)])
  })

  it('takes {**} under a /** match, and params of mixed segments', async () => {
    const { rules } = await loadOk(route(`      orders:
        request: { path: "/files/{name}/{**}" }
`, '/api/{name}.json/**'))
    expect(rules.routes[0]!.transform['orders']!.request!.path).toBe('/files/{name}/{**}')
  })
})
