import { afterAll, beforeAll, expect, it } from 'vitest'
import { join } from 'node:path'
import { runCli, startServe } from '../helpers/cli.js'
import { deadPort } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let rulesFile: string

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' } })
  rulesFile = await fixture.writeRules('serve: legacy\nroutes: []\n')
})
afterAll(async () => { await fixture.close() })

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '', ...extra })

it('serve refuses an address that is not redis:// with USAGE (exit 2), the password masked', async () => {
  const r = await runCli(['serve', '--rules', rulesFile, '--port', '0', '--store', join(fixture.dir, 'diffs'), '--correlation', 'http://ops:s3cret-pw@cache.internal:6379'], { env: env(), timeoutMs: 10_000 })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('USAGE: --correlation: http://ops:***@cache.internal:6379')
  expect(r.stderr).toContain('expected redis://host:port[/db]')
  expect(r.stderr + r.stdout).not.toContain('s3cret-pw')
})

it('serve refuses a --correlation-ttl that is not a duration (exit 2)', async () => {
  const r = await runCli(['serve', '--rules', rulesFile, '--port', '0', '--correlation', 'redis://127.0.0.1:6379', '--correlation-ttl', '3600'], { env: env(), timeoutMs: 10_000 })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('--correlation-ttl')
  expect(r.stderr).toContain('has no unit')
})

it('serve with STRANGLER_CORRELATION pointing at a Redis that is down: starts, serves, logs the address masked, exits 0 on SIGTERM', async () => {
  const url = `redis://:s3cret-pw@127.0.0.1:${await deadPort()}/0`
  const serve = await startServe(['--rules', rulesFile, '--store', join(fixture.dir, 'diffs2'), '--log-level', 'info'], { env: env({ STRANGLER_CORRELATION: url }) })
  const res = await fetch(`http://127.0.0.1:${serve.port}/anything`)
  expect(res.status).toBe(200)
  await res.arrayBuffer()
  serve.child.kill('SIGTERM')
  expect(await serve.exited).toBe(0)
  const out = serve.output()
  expect(out).toContain('not reachable yet')
  expect(out).toContain('redis://:***@127.0.0.1:')
  expect(out).not.toContain('s3cret-pw')
})
