import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { startServe } from '../helpers/cli.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { readRecords } from '../../src/store/read-records.js'

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: (req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ url: req.url })) },
      // a shadow slower than the primary: mirrors are still in flight when SIGTERM arrives
      orders: (req, res) => {
        setTimeout(() => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ url: req.url })) }, 150)
      }
    }
  })
})
afterAll(async () => { await fixture.close() })

describe('SIGTERM flushes every record', () => {
  it('N requests, then SIGTERM at once: N records on disk, exit 0', async () => {
    const rules = await fixture.writeRules(`
serve: legacy
shadow: { maxConcurrent: 1000 }
routes:
  - { name: mirrored, match: { path: "/**" }, serve: legacy, shadow: orders }
`)
    const store = join(fixture.dir, 'diffs')
    const p = await startServe(['--rules', rules, '--store', store, '--log-level', 'warn'])
    const n = 120
    for (let i = 0; i < n; i += 20) {
      await Promise.all(Array.from({ length: 20 }, async (_, j) => {
        const res = await fetch(`http://127.0.0.1:${p.port}/item/${i + j}`)
        expect(res.status).toBe(200)
        await res.arrayBuffer()
      }))
    }
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    const urls = new Set<string>()
    let count = 0
    for await (const r of readRecords(store)) {
      count++
      urls.add(r.url)
      expect(r.outcome).toBe('match')
    }
    expect(count).toBe(n)
    expect(urls.size).toBe(n)
  })
})
