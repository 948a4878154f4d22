import { afterAll, beforeAll, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

const SECRET = 'sk_live_51HbRokenBodyMarker'
const lines: string[] = []
let sp: ProxyFixture

beforeAll(async () => {
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  sp = await startProxyFixture({
    upstreams: {
      // a login answer cut short: labelled JSON, not parseable, a key inside
      api: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(req.url === '/xml' ? `${SECRET} {"ok": true}` : `{"token":"${SECRET}", oops}`)
      }
    },
    rules: `
serve: api
routes:
  - name: as-xml
    match: { path: /xml }
    serve: api
    transform: { api: { response: { format: xml } } }
  - name: renamed
    match: { path: "/**" }
    serve: api
    transform: { api: { response: { body: [ { rename: { "$.token": "$.accessToken" } } ] } } }
`,
    options: { logger: pino({ level: 'info' }, dest) }
  })
})
afterAll(async () => { await sp.close() })

it('a body a transform cannot read is logged by reason and position, never quoted', async () => {
  for (const path of ['/xml', '/login']) {
    const res = await fetch(`${sp.proxy.url}${path}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(SECRET) // the client gets the answer as it came
  }
  const warnings = lines.filter((l) => l.includes('transform not applied'))
  expect(warnings).toHaveLength(2)
  expect(warnings.every((l) => l.includes('"reason":"invalid-json"'))).toBe(true)
  expect(lines.join('\n')).not.toContain(SECRET.slice(0, 8))
})
