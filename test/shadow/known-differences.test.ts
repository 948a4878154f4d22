import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { aggregateRecords } from '../../src/report/aggregate-records.js'

let sp: ProxyFixture

// the new service answers 201 where the monolith answers 200, writes its own timestamps,
// sends null for an empty bio and adds a version header
beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => {
        res.statusCode = 200
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ id: 7, createdAt: '2026-11-21T10:00:00Z', user: { name: 'ann', bio: '' } }))
      },
      users: (req, res) => {
        res.statusCode = 201
        res.setHeader('content-type', 'application/json')
        res.setHeader('x-version', '2')
        const name = req.url === '/other' ? 'bob' : 'ann'
        res.end(JSON.stringify({ id: 7, createdAt: '2026-11-21T10:00:03.125Z', user: { name, bio: null } }))
      }
    },
    rules: `
serve: legacy
compare:
  headers: [x-version]
  typeOnly: ["$..createdAt"]
  accept:
    - { path: "$status", primary: 200, shadow: 201 }
routes:
  - name: known
    match: { path: /known }
    serve: legacy
    shadow: users
    compare:
      accept:
        - { path: "$..bio", primary: "", shadow: null }
        - { path: "$headers['x-version']", shadow: "2" }
  - name: other
    match: { path: /other }
    serve: legacy
    shadow: users
    compare:
      accept:
        - { path: "$..bio", primary: "", shadow: null }
        - { path: "$headers['x-version']", shadow: "2" }
  - name: unknown
    match: { path: /unknown }
    serve: legacy
    shadow: users
`
  })
})
afterAll(async () => { await sp.close() })

describe('known differences through the proxy: typeOnly and accept', () => {
  it('a pair whose differences are all accepted is a match; they are recorded with accepted: true', async () => {
    for (const path of ['/known', '/other', '/unknown']) await (await fetch(sp.proxy.url + path)).arrayBuffer()
    const recs = await sp.records()
    const known = recs.find(r => r.route === 'known')!
    expect(known.outcome).toBe('match')
    expect(known.differences).toEqual([
      { kind: 'status', path: '$status', primary: 200, shadow: 201, accepted: true },
      { kind: 'header', path: "$headers['x-version']", header: 'x-version', primary: null, shadow: '2', accepted: true },
      { kind: 'type', path: '$.user.bio', primary: 'string', shadow: 'null', primaryValue: '', shadowValue: null, accepted: true }
    ])
    expect(sp.proxy.parity.parity('known')).toMatchObject({ compared: 1, matched: 1, parity: 1 })

    // one difference no rule names: a mismatch; the accepted ones are still flagged
    const other = recs.find(r => r.route === 'other')!
    expect(other.outcome).toBe('mismatch')
    expect(other.differences.filter(d => d.kind !== 'contract' && d.accepted !== true)).toEqual([
      { kind: 'changed', path: '$.user.name', primary: 'ann', shadow: 'bob' }
    ])

    // without the route's rules the same answers differ (createdAt is typeOnly globally)
    const unknown = recs.find(r => r.route === 'unknown')!
    expect(unknown.outcome).toBe('mismatch')
    expect(unknown.differences.map(d => [d.path, 'accepted' in d])).toEqual([
      ['$status', true], ["$headers['x-version']", false], ['$.user.bio', false]
    ])

    // the report: parity from outcomes; accepted differences are not among the differing paths
    const report = await aggregateRecords(recs)
    const byRoute = new Map(report.routes.map(r => [r.route, r]))
    expect(byRoute.get('known')).toMatchObject({ compared: 1, matched: 1, parity: 1, topDifferences: [] })
    expect(byRoute.get('other')!.topDifferences.map(d => d.path)).toEqual(['$.user.name'])
  })
})
