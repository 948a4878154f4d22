import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runCli } from '../helpers/cli.js'
import { runReport } from '../../src/cli/run-report.js'

// The new service answers 201 where the monolith answers 200, and null for an empty bio:
// constant differences a team may decide to accept, never accepted for them.
const profile = (status: number, bio: string | null) => (req: { url?: string }, res: ServerResponse): void => {
  const n = Number((req.url ?? '').split('/').pop())
  res.statusCode = status
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ id: n, name: `user ${n}`, bio }))
}

const BODY = `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, keepPairs: all }
routes:
  - name: profiles            # the profile pages
    match: { method: GET, path: "/profiles/{n}" }
    serve: legacy
    shadow: users
    compare: { ignore: ["$.etag"] }
`

let fx: ProxyFixture
let rulesFile: string
let storeDir: string
let original: string

async function parity (): Promise<number> {
  let out = ''
  expect(await runReport({ store: storeDir, rules: rulesFile, format: 'json' }, { stdout: (s) => { out += s }, stderr: () => {} })).toBe(0)
  return (JSON.parse(out) as { routes: Array<{ parity: number }> }).routes[0]!.parity
}

beforeAll(async () => {
  fx = await startProxyFixture({ upstreams: { legacy: profile(200, ''), users: profile(201, null) }, rules: BODY, options: { store: 'disk' } })
  for (let n = 1; n <= 12; n++) await (await fetch(`${fx.proxy.url}/profiles/${n}`)).arrayBuffer()
  await fx.proxy.settled()
  await fx.proxy.store.flush()
  storeDir = fx.proxy.storeDir
  rulesFile = join(fx.dir, 'profiles.yaml')
  original = fx.rules(BODY)
  await writeFile(rulesFile, original)
})
afterAll(async () => { await fx.close() })

describe('suggest: an accept proposal is a question', () => {
  it('is printed with its evidence, and commented out in the YAML to add', async () => {
    const r = await runCli(['suggest', '--rules', rulesFile, '--store', storeDir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/accept\? +\$status: 200 → 201\n +the same difference, 200 → 201, in 12 of 12 pairs that differ there \(100%\): accept it\?/)
    expect(r.stdout).toMatch(/accept\? +\$\.bio: "" → null\n/)
    expect(r.stdout).toContain('compare:\n  # a question: accept these known differences? (--write adds them only with --accept)\n  # accept:\n  #   - { path: "$status", primary: 200, shadow: 201 }\n  #   - { path: "$.bio", primary: "", shadow: null }\n')
  })

  it('is not written by --write without --accept', async () => {
    const r = await runCli(['suggest', '--rules', rulesFile, '--store', storeDir, '--write'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('2 accept questions not written: add --accept to write them')
    expect(await readFile(rulesFile, 'utf8')).toBe(original)
    expect(await parity()).toBe(0)
  })

  it('is written with --accept, into the route\'s flow-style compare, and then the pairs match', async () => {
    const r = await runCli(['suggest', '--rules', rulesFile, '--store', storeDir, '--write', '--accept'])
    expect(r.code, r.stderr).toBe(0)
    const text = await readFile(rulesFile, 'utf8')
    expect(text).toContain('    compare: { ignore: ["$.etag"], accept: [{ path: "$status", primary: 200, shadow: 201 }, { path: "$.bio", primary: "", shadow: null }] }\n')
    expect(text).toContain('  - name: profiles            # the profile pages\n')
    expect(r.stdout).toContain('wrote 2 entries')
    expect(await parity()).toBe(1)
  })
})
