import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { join } from 'node:path'
import { readdir } from 'node:fs/promises'
import { runCli } from '../helpers/cli.js'
import { deadPort } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let rulesFile: string
let busy: net.Server
let busyPort: number

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' } })
  rulesFile = await fixture.writeRules('serve: legacy\nroutes: []\n')
  busy = net.createServer((s) => s.destroy())
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  busyPort = (busy.address() as net.AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve))
  await fixture.close()
})

/** whether something accepts connections on 127.0.0.1:port */
async function listening (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}

const oneLine = (stderr: string): string[] => stderr.trim().split('\n')

describe('serve with a port it cannot have (child process)', () => {
  it('a busy --admin-port: exit 1 at start with one line naming it, the proxy port never served', async () => {
    const port = await deadPort()
    const r = await runCli(['serve', '--rules', rulesFile, '--port', String(port), '--admin-port', String(busyPort), '--store', join(fixture.dir, 'diffs')], { timeoutMs: 10_000 })
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toHaveLength(1)
    expect(r.stderr).toMatch(new RegExp(`LISTEN_FAILED: the admin listener cannot listen on 127\\.0\\.0\\.1:${busyPort} \\(--admin-port\\): the port is already in use`))
    expect(await listening(port)).toBe(false)
  })

  it('a busy --port with an admin listener: exit 1, the admin listener closed again', async () => {
    const adminPort = await deadPort()
    const r = await runCli(['serve', '--rules', rulesFile, '--port', String(busyPort), '--admin-port', String(adminPort), '--store', join(fixture.dir, 'diffs')], { timeoutMs: 10_000 })
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toHaveLength(1)
    expect(r.stderr).toMatch(new RegExp(`LISTEN_FAILED: the proxy cannot listen on 127\\.0\\.0\\.1:${busyPort} \\(--port\\)`))
    expect(await listening(adminPort)).toBe(false)
  })

  it('--admin-port equal to --port: exit 1 with a clear line, nothing started, no store file', async () => {
    const port = await deadPort()
    const store = join(fixture.dir, 'same-port-diffs')
    const r = await runCli(['serve', '--rules', rulesFile, '--port', String(port), '--admin-port', String(port), '--store', store], { timeoutMs: 10_000 })
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toEqual([`strangler serve: LISTEN_FAILED: --admin-port ${port} is also the proxy's --port; give the admin listener a port of its own`])
    expect(await listening(port)).toBe(false)
    await expect(readdir(store)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
