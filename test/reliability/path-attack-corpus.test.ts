import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawRequest, type RawResponse } from '../helpers/raw-http.js'

// A path-attack corpus (issue 12): every traversal form of
// test/proxy/path-attacks.test.ts and a few more, each placed in CONTEXTS
// positions and sent with METHODS, through a route that is both served and
// shadowed. Not one may reach either upstream (the serving one or the
// mirror); plain paths in the same positions still go through.
export const FORMS = [
  '..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2e',
  '..%2F', '..%2f', '%2F..%2F', '..%5C', '..%5c', '..\\',
  'file%00.json', '%zz', '%ff', '%c0%ae%c0%ae', '%u002e%u002e',
  '..;', '..;jsessionid=1', '.;', '%2e%2e;', '..%3b', '..%3B',
  '%252e%252e', '..%252f', '..%255c', '%25%32%65%25%32%65', '.%252e',
  '%E2%80%A5', '%EF%BC%8E%EF%BC%8E', '%E2%80%A4%E2%80%A4', '..%EF%BC%8F', '..%EF%BC%BC', '%E2%84%80', '..%EF%BC%9B'
] as const
/** where a form sits: `F` is replaced by the form */
const CONTEXTS = ['/public/F/admin', '/public/F', '/public/a/F/secret', '/public/F/F/etc/passwd', '/public/a/F?x=1', '/F/public/x'] as const
const METHODS = ['GET', 'POST', 'DELETE', 'HEAD'] as const
export const CORPUS = FORMS.length * CONTEXTS.length * METHODS.length
const PARALLEL = 8

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', admin: { echo: 'admin-service' }, mirror: 'echo' },
    rules: `
serve: legacy
routes:
  - { name: public, match: { path: "/public/**" }, serve: admin, shadow: mirror, shadowWrites: true }
`
  })
})
afterAll(async () => { await fixture.close() })

function seen (): number {
  return ['legacy', 'admin', 'mirror'].reduce((n, u) => n + fixture.upstream(u).seen.length, 0)
}

async function sendAll (targets: ReadonlyArray<readonly [string, string]>): Promise<RawResponse[]> {
  const out: RawResponse[] = new Array(targets.length)
  let next = 0
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < targets.length) {
      const i = next++
      const [method, target] = targets[i]!
      out[i] = await rawRequest(fixture.proxy.port, method, target, {}, method === 'POST' ? '{"a":1}' : '')
    }
  }))
  return out
}

describe(`path-attack corpus: ${CORPUS} requests`, () => {
  it('forwards none of them, to the serving upstream or the mirror', async () => {
    const targets = FORMS.flatMap((f) => CONTEXTS.flatMap((c) => METHODS.map((m) => [m, c.replaceAll('F', f)] as const)))
    expect(targets.length).toBe(CORPUS)
    const before = seen()
    const answers = await sendAll(targets)
    await fixture.proxy.settled()
    const forwarded = answers.map((a, i) => ({ target: targets[i]!.join(' '), status: a.status, body: a.body })).filter((a) => a.status !== 400 || (a.body !== '' && !a.body.includes('PATH_REJECTED')))
    expect(forwarded).toEqual([])
    expect(seen() - before).toBe(0)
  }, 60_000)

  it('still forwards plain paths in the same positions, and mirrors them', async () => {
    const targets = CONTEXTS.flatMap((c) => METHODS.map((m) => [m, c.replaceAll('F', 'plain.name')] as const))
    const answers = await sendAll(targets)
    await fixture.proxy.settled()
    expect(answers.map((a) => a.status)).toEqual(targets.map(() => 200))
    // the /public/** ones are mirrored too (HEAD and GET, POST and DELETE with shadowWrites)
    expect(fixture.upstream('mirror').seen.length).toBe(targets.filter(([, t]) => t.startsWith('/public/')).length)
  })
})
