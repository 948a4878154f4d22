import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

// regression (issue 12): `serve --host 999.1.1.1` died with a getaddrinfo stack trace
let rules: string
beforeAll(async () => {
  rules = join(await tempDir(), 'rules.yaml')
  await writeFile(rules, 'version: 1\nupstreams:\n  legacy: { url: "http://127.0.0.1:9" }\nserve: legacy\n')
})

const stackFree = (s: string): void => {
  expect(s).not.toMatch(/\n\s+at /)
  expect(s.trim().split('\n').length).toBeLessThanOrEqual(2)
}

it('an address that is not IPv4 is bad usage: one line, exit 2', async () => {
  for (const flag of ['--host', '--admin-host']) {
    const r = await runCli(['serve', '--rules', rules, '--port', '0', '--admin-port', '0', flag, '999.1.1.1'])
    expect(r.code, flag).toBe(2)
    expect(r.stderr).toContain(`option '${flag} <host>' argument '999.1.1.1' is invalid. 999.1.1.1 is not an IPv4 address (each part is 0 to 255)`)
    stackFree(r.stderr)
  }
})

it('a host name that does not resolve: one line naming it, exit 1, nothing started', async () => {
  const r = await runCli(['serve', '--rules', rules, '--port', '0', '--host', 'no-such-host.invalid'])
  expect(r.code).toBe(1)
  // ENOTFOUND gives "no such host name"; a resolver that cannot be reached says why, on the same one line
  expect(r.stderr).toMatch(/^strangler serve: cannot listen on --host no-such-host\.invalid: [^\n]+\n$/)
  expect(r.stderr).not.toContain('proxy listening')
})

it('an address this machine does not have: one line, exit 1', async () => {
  // TEST-NET-1 (RFC 5737): never a local address
  const r = await runCli(['serve', '--rules', rules, '--port', '0', '--host', '192.0.2.1'])
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/^strangler serve: LISTEN_FAILED: the proxy cannot listen on 192\.0\.2\.1:0 \(--port\): [^\n]+\n$/)
  stackFree(r.stderr)
})
