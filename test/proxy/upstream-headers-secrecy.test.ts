import { afterAll, beforeAll, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { deadPort, startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy, tempDir } from '../helpers/proxy.js'
import type { RunningProxy } from '../../src/app/start-proxy.js'

const SECRET = 'secrecy-key-7c4a8d09ca3762af61e59520943dc26494f8941b'

const lines: string[] = []
let legacy: FakeUpstream
let orders: FakeUpstream
let storeDir: string
let proxy: RunningProxy

/** Answers the same body whoever calls, echoing the x-api-key it got back as a response header. */
async function keyEcho (): Promise<FakeUpstream> {
  return await startUpstream((req, res) => {
    const key = req.headers['x-api-key']
    if (typeof key === 'string') res.setHeader('x-api-key', key)
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
}

beforeAll(async () => {
  process.env['TEST_UHS_KEY'] = SECRET
  legacy = await keyEcho()
  orders = await keyEcho()
  const dead = await deadPort()
  storeDir = await tempDir()
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  proxy = await startTestProxy(`
version: 1
upstreams:
  legacy: { url: ${legacy.url} }
  orders:
    url: ${orders.url}
    headers: { set: { x-api-key: "\${TEST_UHS_KEY}", authorization: "Bearer \${TEST_UHS_KEY}" } }
  gone:
    url: http://127.0.0.1:${dead}
    headers: { set: { x-api-key: "\${TEST_UHS_KEY}" } }
serve: legacy
compare: { headers: [x-api-key] }
routes:
  - { name: mirrored, match: { path: "/m/**" }, serve: legacy, shadow: orders }
  - { name: served, match: { path: "/s/**" }, serve: orders }
  - { name: unreachable, match: { path: "/g/**" }, serve: gone }
`, { adminPort: 0, storeDir, logger: pino({ level: 'debug' }, dest) })
})
afterAll(async () => {
  await Promise.all([legacy.close(), orders.close()])
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
  const records = stored.join('').split('\n').filter(l => l !== '')
  // the mirrored pairs were recorded, with the echoed header as a redacted difference
  expect(records.length).toBe(2)
  expect(records.join('\n')).toContain('"header":"x-api-key","primary":null,"shadow":"[redacted]"')

  const log = lines.join('')
  expect(log).toContain('"msg":"request"')
  expect(log).toContain('"upstream":"gone"')
  for (const text of [log, ...admin, ...records]) expect(text).not.toContain(SECRET)
})
