import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxy } from '../../src/app/start-proxy.js'
import { runInit } from '../../src/cli/run-init.js'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'
import { startEchoUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

// regression (issue 12): `init --legacy http://host/v1` with a spec served at
// /v1 wrote routes for /v1/api/orders and the url http://host/v1, so the
// monolith got /v1/v1/api/orders, and `check` accepted it
const spec = (server: string): string => `openapi: 3.0.3
info: { title: t, version: '1' }
servers: [{ url: "${server}" }]
paths:
  /api/orders:
    get: { operationId: listOrders, responses: { '200': { description: ok } } }
  /api/orders/{id}:
    get: { operationId: getOrder, responses: { '200': { description: ok } } }
`

let dir: TempDir
let monolith: FakeUpstream
beforeAll(async () => {
  dir = tempDir()
  monolith = await startEchoUpstream('legacy')
})
afterAll(async () => {
  await monolith.close()
  dir.remove()
})

async function init (legacy: string, server: string): Promise<{ text: string; stderr: string; rules: Rules; warnings: string[] }> {
  const file = dir.write(`spec-${Math.random().toString(36).slice(2)}.yaml`, spec(server))
  let text = ''
  let stderr = ''
  expect(await runInit({ spec: file, legacy }, { stdout: (s) => { text += s }, stderr: (s) => { stderr += s } })).toBe(0)
  const loaded = loadRulesText(text, 'rules.yaml')
  if (!loaded.ok) throw new Error(loaded.errors.map(e => e.message).join('\n'))
  return { text, stderr, rules: loaded.rules, warnings: loaded.warnings.map(w => w.code) }
}

describe('init with a --legacy url that has a path', () => {
  it('drops the part every operation path starts with from the url, keeps the full paths in the routes, and says so', async () => {
    const { text, stderr, rules, warnings } = await init(`${monolith.url}/v1`, '/v1')
    expect(rules.upstreams.legacy!.url).toBe(monolith.url)
    expect(rules.routes.map(r => r.match.path.source)).toEqual(['/v1/api/orders', '/v1/api/orders/{id}'])
    expect(text).toContain('# upstreams.legacy.url is --legacy without /v1')
    expect(stderr).toContain(`every operation's path starts with /v1, so upstreams.legacy.url is ${monolith.url}`)
    expect(warnings).toEqual([])
  })

  it('the monolith receives the path the client sent, once', async () => {
    const { text } = await init(`${monolith.url}/v1`, '/v1')
    const rulesFile = join(dir.path, 'rules-e2e.yaml')
    await writeFile(rulesFile, text)
    const proxy = await startProxy({ rulesFile, port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), watch: false, storeDir: join(dir.path, 'diffs') })
    try {
      const res = await fetch(`${proxy.url}/v1/api/orders/7?x=1`)
      expect(res.status).toBe(200)
      expect((await res.json() as { url: string }).url).toBe('/v1/api/orders/7?x=1')
    } finally {
      await proxy.close()
    }
  })

  it('only the overlapping end of the url is dropped: /api/v1 with a spec at /v1 keeps /api', async () => {
    const { rules } = await init('http://127.0.0.1:3000/api/v1', '/v1')
    expect(rules.upstreams.legacy!.url).toBe('http://127.0.0.1:3000/api')
    expect(rules.routes[0]!.match.path.source).toBe('/v1/api/orders')
  })

  it('a url path the operations do not start with is kept as given', async () => {
    const { rules, stderr, text } = await init('http://127.0.0.1:3000/base', '/v1')
    expect(rules.upstreams.legacy!.url).toBe('http://127.0.0.1:3000/base')
    expect(stderr).toBe('')
    expect(text).not.toContain('without')
  })
})

describe('check on rules that double a prefix by hand', () => {
  it('warns RULES_DOUBLED_PREFIX at the upstream url, counting its routes', () => {
    const loaded = loadRulesText(`version: 1
upstreams:
  legacy: { url: "http://127.0.0.1:3000/v1" }
  orders: { url: "http://127.0.0.1:4000/v1" }
serve: legacy
routes:
  - { name: list-orders, match: { path: /v1/api/orders }, serve: legacy }
  - { name: get-order, match: { path: "/v1/api/orders/{id}" }, serve: legacy }
  - { name: stripped, match: { path: "/v1/users/**" }, serve: orders, rewrite: { stripPrefix: /v1 } }
  - { name: other, match: { path: "/v2/x" }, serve: orders }
`, 'rules.yaml')
    expect(loaded.ok).toBe(true)
    const doubled = loaded.warnings.filter(w => w.code === 'RULES_DOUBLED_PREFIX')
    expect(doubled).toHaveLength(1)
    expect(doubled[0]).toMatchObject({ at: 'upstreams.legacy.url', line: 3 })
    expect(doubled[0]!.message).toBe('the url ends with /v1 and the path of 2 routes (the first: "list-orders") start with /v1 too: requests are forwarded as /v1/v1/…; drop /v1 from the url (the routes already carry it), or strip it with rewrite.stripPrefix')
  })
})
