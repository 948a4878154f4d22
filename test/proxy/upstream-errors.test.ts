import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { deadPort, startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy } from '../helpers/proxy.js'
import type { RunningProxy } from '../../src/proxy/start-proxy.js'

let slow: FakeUpstream
let resetter: net.Server
let garbage: net.Server
let proxy: RunningProxy

async function listen (server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

beforeAll(async () => {
  slow = await startUpstream((_req, res) => { setTimeout(() => res.end('late'), 5000).unref() })
  resetter = net.createServer((s) => { s.once('data', () => s.resetAndDestroy()) })
  garbage = net.createServer((s) => { s.once('data', () => s.end('this is not http\r\n\r\n')) })
  const dead = await deadPort()
  proxy = await startTestProxy(`
version: 1
upstreams:
  legacy: { url: http://127.0.0.1:${dead} }
  slow: { url: ${slow.url}, timeout: 300ms }
  resets: { url: http://127.0.0.1:${await listen(resetter)} }
  garbage: { url: http://127.0.0.1:${await listen(garbage)} }
serve: legacy
routes:
  - name: slow-route
    match: { path: "/slow" }
    serve: slow
  - name: reset-route
    match: { path: "/reset" }
    serve: resets
  - name: garbage-route
    match: { path: "/garbage" }
    serve: garbage
`)
})
afterAll(async () => {
  await proxy.close()
  await slow.close()
  resetter.close()
  garbage.close()
})

async function errorOf (path: string): Promise<{ status: number; body: { error: string; message: string; route: string | null } }> {
  const res = await fetch(proxy.url + path)
  expect(res.headers.get('content-type')).toContain('application/json')
  return { status: res.status, body: await res.json() as { error: string; message: string; route: string | null } }
}

describe('upstream errors', () => {
  it('answers 502 UPSTREAM_UNREACHABLE when the upstream is down', async () => {
    const r = await errorOf('/anything')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_UNREACHABLE')
    expect(r.body.route).toBeNull()
    expect(r.body.message).toContain('legacy')
  })

  it('answers 504 UPSTREAM_TIMEOUT past the upstream timeout, naming the route', async () => {
    const r = await errorOf('/slow')
    expect(r.status).toBe(504)
    expect(r.body.error).toBe('UPSTREAM_TIMEOUT')
    expect(r.body.route).toBe('slow-route')
  })

  it('answers 502 when the upstream resets the connection', async () => {
    const r = await errorOf('/reset')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_UNREACHABLE')
    expect(r.body.route).toBe('reset-route')
  })

  it('answers 502 UPSTREAM_BAD_RESPONSE when the upstream answers garbage', async () => {
    const r = await errorOf('/garbage')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_BAD_RESPONSE')
  })
})
