import { afterAll, beforeAll, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import type { Handler } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

const SECRET = 'secrecy-key-7c4a8d09ca3762af61e59520943dc26494f8941b'

const lines: string[] = []
let fixture: ProxyFixture
let storeDir: string
let proxy: TestProxy

/** Answers the same body whoever calls, echoing the x-api-key it got back as a response header. */
const keyEcho: Handler = (req, res) => {
  const key = req.headers['x-api-key']
  if (typeof key === 'string') res.setHeader('x-api-key', key)
  res.setHeader('content-type', 'application/json')
  res.end('{"ok":true}')
}

beforeAll(async () => {
  process.env['TEST_UHS_KEY'] = SECRET
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  fixture = await startProxyFixture({
    upstreams: {
      legacy: keyEcho,
      orders: { handler: keyEcho, headers: `{ set: { x-api-key: "\${TEST_UHS_KEY}", authorization: "Bearer \${TEST_UHS_KEY}" } }` },
      gone: { dead: true, headers: `{ set: { x-api-key: "\${TEST_UHS_KEY}" } }` }
    },
    rules: `
serve: legacy
compare: { headers: [x-api-key] }
routes:
  - { name: mirrored, match: { path: "/m/**" }, serve: legacy, shadow: orders }
  - { name: served, match: { path: "/s/**" }, serve: orders }
  - { name: unreachable, match: { path: "/g/**" }, serve: gone }
`,
    options: { adminPort: 0, store: 'disk', logger: pino({ level: 'debug' }, dest) }
  })
  proxy = fixture.proxy
  storeDir = proxy.storeDir
})
afterAll(async () => {
  await fixture.close()
  delete process.env['TEST_UHS_KEY']
})

it('a value set from the environment reaches the upstream, and appears in no log line, no admin answer and no stored record', async () => {
  for (const path of ['/m/1', '/m/2?api_key=x', '/s/1']) {
    const res = await fetch(`${proxy.url}${path}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  }
  const served = await fetch(`${proxy.url}/s/2`)
  // the upstream got it (and echoed it to the client, which is the upstream's business)
  expect(served.headers.get('x-api-key')).toBe(SECRET)
  await served.arrayBuffer()
  const failed = await fetch(`${proxy.url}/g/1`)
  expect(failed.status).toBe(502)
  await failed.arrayBuffer()
  await proxy.settled()

  const admin = await Promise.all(['/routes', '/metrics', '/healthz'].map(async (p) => await (await fetch(`${proxy.adminUrl}${p}`)).text()))
  expect(admin[0]).toContain('"mirrored"')
  await proxy.close()

  const stored = await Promise.all((await readdir(storeDir, { recursive: true }))
    .filter(f => f.endsWith('.ndjson'))
    .map(async f => await readFile(join(storeDir, f), 'utf8')))
  const storedLines = stored.join('').split('\n').filter(l => l !== '')
  // records, the pairs kept beside them (pairs/) and the rollups of served requests (rollups/): the secret is in none (checked below)
  const records = storedLines.filter(l => !l.includes('"request":') && !l.includes('"requests":'))
  // the mirrored pairs were recorded, with the echoed header as a redacted difference
  expect(records.length).toBe(2)
  expect(records.join('\n')).toContain('"header":"x-api-key","primary":null,"shadow":"[redacted]"')

  const log = lines.join('')
  expect(log).toContain('"msg":"request"')
  expect(log).toContain('"upstream":"gone"')
  for (const text of [log, ...admin, ...storedLines]) expect(text).not.toContain(SECRET)
})
