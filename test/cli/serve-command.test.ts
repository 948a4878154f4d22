import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli, startServe } from '../helpers/cli.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let rulesFile: string
let dir: string

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: 'echo',
      slow: (_req, res) => { setTimeout(() => res.end('finished after shutdown began'), 700).unref() }
    }
  })
  dir = fixture.dir
  rulesFile = await fixture.writeRules(`
serve: legacy
routes:
  - name: slow
    match: { path: /slow }
    serve: slow
`)
})
afterAll(async () => { await fixture.close() })

describe('strangler serve (child process)', () => {
  it('answers through the proxy, serves the admin listener, logs access lines, and drains on SIGTERM with exit 0', async () => {
    const p = await startServe(['--rules', rulesFile, '--admin-port', '0', '--store', join(dir, 'diffs')])
    const res = await fetch(`http://127.0.0.1:${p.port}/hello?x=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upstream')).toBe('legacy')
    await res.arrayBuffer()

    const health = await fetch(`http://127.0.0.1:${p.adminPort}/healthz`)
    expect(await health.json()).toMatchObject({ status: 'ok', routes: 1 })

    // a request in flight when SIGTERM arrives still completes
    const inFlight = fetch(`http://127.0.0.1:${p.port}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }))
    await new Promise((resolve) => setTimeout(resolve, 150))
    p.child.kill('SIGTERM')
    expect(await inFlight).toEqual({ status: 200, body: 'finished after shutdown began' })
    expect(await p.exited).toBe(0)
    const log = p.output()
    const access = log.split('\n').find((l) => l.includes('"url":"/hello?x=1"'))
    expect(access).toBeDefined()
    expect(JSON.parse(access!)).toMatchObject({ msg: 'request', method: 'GET', route: '(default)', upstream: 'legacy', status: 200 })
  })

  it('--log-level warn silences the access log', async () => {
    const p = await startServe(['--rules', rulesFile, '--log-level', 'warn'])
    await (await fetch(`http://127.0.0.1:${p.port}/quiet`)).arrayBuffer()
    p.child.kill('SIGINT')
    expect(await p.exited).toBe(0)
    expect(p.output()).not.toContain('/quiet')
  })

  it('refuses to start on an invalid rules file, printing the errors, exit 1', async () => {
    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, 'version: 2\nupstreams: { legacy: { url: http://127.0.0.1:1 } }\nserve: nowhere\n')
    const r = await runCli(['serve', '--rules', bad, '--port', '0'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/bad\.yaml:1:\d+ error/)
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+ error RULES_UNKNOWN_UPSTREAM/)
  })
})

describe('the access log (child process)', () => {
  it('redacts secrets in the query string, as diff records do', async () => {
    const p = await startServe(['--rules', rulesFile])
    await (await fetch(`http://127.0.0.1:${p.port}/search?q=shoes&api_key=sk_live_SECRET123&access_token=tok-SECRET456`)).arrayBuffer()
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    const log = p.output()
    expect(log).toContain('"url":"/search?q=shoes&api_key=[redacted]&access_token=[redacted]"')
    expect(log).not.toContain('SECRET')
  })
})
