import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

// Secret markers (issue 12): one unique marker, sent in every place a secret
// travels (headers, query, JSON request and response bodies, a JWT) through
// shadowed routes with mismatches and kept pairs, must appear in no store
// file (records and pairs), no log line (debug level) and no report
// (text, json, md, html) nor `show`. A control marker in plain fields must
// appear in the store, so the search itself is shown to work.
const MARKER = 'Zq' + randomBytes(8).toString('hex')
const CONTROL = 'Ctl' + randomBytes(8).toString('hex')
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1' })}.${MARKER}sig`
export const PLACES = ['authorization', 'cookie', 'x-api-key (redact.headers)', 'x-session-secret (redact.headers)', '?token=', '?pw=', ';token=', 'request password', 'request token', 'request JWT', 'response token', 'response password', 'response JWT', 'set-cookie'] as const
const REQUESTS = 40

let fixture: ProxyFixture
let proxy: TestProxy
const logs: string[] = []

/** an upstream answering with secrets in its body and headers; `side` makes the two sides differ */
const answering = (side: string) => (_req: unknown, res: ServerResponse): void => {
  res.setHeader('content-type', 'application/json')
  res.setHeader('set-cookie', `sid=${MARKER}${side}; HttpOnly`)
  res.end(JSON.stringify({ side, note: CONTROL, token: `${MARKER}${side}t`, user: { password: `${MARKER}${side}p`, jwt: JWT }, items: side === 'legacy' ? [1, 2] : [1, 3] }))
}

beforeAll(async () => {
  const dest = new Writable({ write (chunk, _enc, cb) { logs.push(String(chunk)); cb() } })
  fixture = await startProxyFixture({
    upstreams: { legacy: answering('legacy'), orders: answering('orders') },
    rules: `
serve: legacy
shadow: { keepPairs: all, maxPairsPerMinute: 1000 }
compare: { headers: [content-type, set-cookie] }
# x-api-key as in DESIGN.md's example: only authorization, cookie, set-cookie and proxy-authorization are redacted unlisted
redact: { headers: [x-api-key, x-session-secret] }
routes:
  - { name: read, match: { method: GET, path: "/api/read/**" }, serve: legacy, shadow: orders }
  - { name: write, match: { method: POST, path: "/api/write/**" }, serve: legacy, shadow: orders, shadowWrites: true }
`,
    options: { store: 'disk', logger: pino({ level: 'debug' }, dest) }
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

async function filesUnder (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...await filesUnder(p))
    else out.push(p)
  }
  return out
}

describe(`secret markers in ${PLACES.length} places`, () => {
  it('are found in no store file, log line or report', async () => {
    const headers = {
      authorization: `Bearer ${MARKER}a`,
      cookie: `session=${MARKER}c; theme=dark`,
      'x-api-key': `${MARKER}k`,
      'x-session-secret': `${MARKER}s`,
      'x-note': CONTROL
    }
    for (let i = 0; i < REQUESTS; i++) {
      const q = `?page=${i}&token=${MARKER}q&pw=${MARKER}w;token=${MARKER}x`
      const res = i % 2 === 0
        ? await fetch(`${proxy.url}/api/read/${i}${q}`, { headers })
        : await fetch(`${proxy.url}/api/write/${i}${q}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ note: CONTROL, password: `${MARKER}p`, token: `${MARKER}t`, auth: { jwt: JWT } }) })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    // answers the proxy gives itself log the url too
    expect((await rawRequest(proxy.port, 'GET', `/api/read/%2e%2e/x?token=${MARKER}r&pw=${MARKER}r`)).status).toBe(400)
    await proxy.close()

    const files = await filesUnder(proxy.storeDir)
    const stored = await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const))
    const records = stored.filter(([f]) => !f.includes('pairs')).flatMap(([, t]) => t.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string, outcome: string, pair?: boolean }))
    // the exchanges were recorded as mismatches, with their pairs kept
    expect(records.filter((r) => r.outcome === 'mismatch').length).toBe(REQUESTS)
    expect(stored.some(([f]) => f.includes('pairs'))).toBe(true)
    // the search works: the control marker is stored
    expect(stored.some(([, t]) => t.includes(CONTROL))).toBe(true)
    expect(stored.filter(([, t]) => t.includes(MARKER)).map(([f]) => f)).toEqual([])

    // the logs were written (a line per request) and hold no marker
    expect(logs.join('').split('\n').filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(REQUESTS)
    expect(logs.filter((l) => l.includes(MARKER))).toEqual([])

    for (const format of ['text', 'json', 'md', 'html']) {
      const r = await runCli(['report', '--store', proxy.storeDir, '--format', format])
      expect(r.stdout).toContain('read')
      expect(r.stdout + r.stderr).not.toContain(MARKER)
    }
    const show = await runCli(['show', records[0]!.id, '--store', proxy.storeDir])
    expect(show.stdout).toContain(CONTROL)
    expect(show.stdout + show.stderr).not.toContain(MARKER)
  }, 60_000)
})
