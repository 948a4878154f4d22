import { afterAll, beforeAll, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runReport } from '../../src/cli/run-report.js'

let sp: ProxyFixture
beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ total: 10, items: ['a', 'b'] })) },
      orders: (_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ total: 11, items: ['a', 'b'] })) }
    },
    rules: `
serve: legacy
routes:
  - { name: totals, match: { path: /totals }, serve: legacy, shadow: orders }
`,
    options: { store: 'disk' }
  })
  for (let i = 0; i < 3; i++) await (await fetch(`${sp.proxy.url}/totals`)).arrayBuffer()
  await sp.proxy.settled()
  await sp.proxy.store.flush()
})
afterAll(async () => { await sp.close() })

it('the HTML report shows the whole answers of an example whose pair was kept, differing lines marked', async () => {
  const out = join(sp.dir, 'report.html')
  expect(await runReport({ store: sp.proxy.storeDir, format: 'html', out }, { stdout: () => {}, stderr: () => {} })).toBe(0)
  const html = await readFile(out, 'utf8')
  expect(html).toContain('whole answers (kept pair)')
  expect(html).toContain('<span class="diff">  &quot;total&quot;: 10,</span>')
  expect(html).toContain('<span class="diff">  &quot;total&quot;: 11,</span>')
  expect(html).toContain('<span class="same">    &quot;a&quot;,</span>')
})
