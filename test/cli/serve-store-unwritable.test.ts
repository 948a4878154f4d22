import { afterAll, beforeAll, expect, it } from 'vitest'
import net from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { deadPort } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let rulesFile: string

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' } })
  rulesFile = await fixture.writeRules('serve: legacy\nroutes: []\n')
})
afterAll(async () => { await fixture.close() })

it('serve exits 1 at start, naming the folder, when the store cannot be written; nothing listens', async () => {
  const notADir = join(fixture.dir, 'taken')
  await writeFile(notADir, 'a file where the store folder should be')
  const store = join(notADir, 'diffs')
  const [port, adminPort] = [await deadPort(), await deadPort()]
  const r = await runCli(['serve', '--rules', rulesFile, '--port', String(port), '--admin-port', String(adminPort), '--store', store], { timeoutMs: 10_000 })
  expect(r.code).toBe(1)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stderr).toContain(`STORE_UNWRITABLE: the diff store folder ${store} cannot be written`)
  for (const p of [port, adminPort]) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(p, '127.0.0.1')
      s.once('connect', () => { s.destroy(); resolve(true) })
      s.once('error', () => resolve(false))
    })
    expect(open).toBe(false)
  }
})
