import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

// A bounded fuzz of request paths (issue 12): 3,000 paths built from plain
// fragments and from every form a backend may read as a dot segment or a
// slash (dot segments, `..;`, percent, double and Unicode-lookalike
// encodings, backslashes). Through the real proxy, no forwarded path may
// read, under any backend's interpretation below, as a dot segment or as
// more segments than the proxy matched; every path made only of plain
// fragments is forwarded.
const PATHS = 3_000
const SAFE = ['a', 'b1', 'v1.2', 'x_y', '~', '-', 'caf%C3%A9', '%20', ';v=1', 'report..final', '%41', '%7E', '.hidden', 'a.b.c']
const RISKY = [
  '.', '..', '%2e', '%2E', '.%2e', '%2e.', '..;', ';', '%3b', '%3B', '%2f', '%2F', '%5c', '\\', '%00',
  '%25', '%252e', '%252E', '%252f', '%255c', '%2500', '%2525', '%25%32%65', '%25%32%66',
  '%EF%BC%8E', '%EF%BC%8F', '%EF%BC%BC', '%E2%80%A5', '%E2%80%A4', '%E2%84%80', '%EF%BC%9B', '%EF%BC%85'
]

/** mulberry32: a small seeded generator, so a failure is reproducible */
function random (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function generate (n: number, seed: number): Array<{ path: string; plain: boolean }> {
  const rnd = random(seed)
  const pick = (list: readonly string[]): string => list[Math.floor(rnd() * list.length)]!
  const out: Array<{ path: string; plain: boolean }> = []
  for (let i = 0; i < n; i++) {
    const plain = i % 3 === 0
    const segments: string[] = []
    const count = 1 + Math.floor(rnd() * 4)
    for (let s = 0; s < count; s++) {
      let segment = ''
      const parts = 1 + Math.floor(rnd() * 3)
      for (let p = 0; p < parts; p++) segment += plain || rnd() < 0.4 ? pick(SAFE) : pick(RISKY)
      segments.push(segment)
    }
    out.push({ path: '/f/' + segments.join('/'), plain })
  }
  return out
}

function decodeOnce (s: string): string | null {
  try { return decodeURIComponent(s) } catch { return null }
}

/**
 * How backends may read a path: as is, decoded once or twice, NFKC-folded,
 * with `;` parameters cut off each segment, backslashes as slashes.
 */
function readings (path: string): string[] {
  const chain: string[] = [path]
  for (let s: string | null = path, i = 0; i < 2 && s !== null; i++) {
    s = decodeOnce(s)
    if (s !== null) chain.push(s)
  }
  const out: string[] = []
  for (const s of chain) {
    for (const folded of [s, s.normalize('NFKC')]) {
      const slashes = folded.replace(/\\/g, '/')
      out.push(slashes, slashes.split('/').map((seg) => seg.split(';')[0]!).join('/'))
    }
  }
  return out
}

function structureChanged (path: string): string | null {
  const slashes = path.split('/').length
  for (const r of readings(path)) {
    const segments = r.split('/')
    if (segments.some((seg) => seg === '.' || seg === '..')) return `dot segment in ${JSON.stringify(r)}`
    if (segments.length !== slashes) return `${segments.length - 1} slashes in ${JSON.stringify(r)}`
    if (r.includes('\0')) return `NUL in ${JSON.stringify(r)}`
  }
  return null
}

let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' }, rules: 'serve: legacy\nroutes:\n  - { name: f, match: { path: "/f/**" }, serve: legacy }\n' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('fuzzed request paths', () => {
  it(`forwards no path that a backend could read as another (${PATHS} paths), and every plain one`, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })
    const cases = generate(PATHS, 12)
    const results: Array<{ path: string; plain: boolean; status: number; forwarded: string | null; error: string | null }> = new Array(cases.length)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++
        const c = cases[i]!
        results[i] = await new Promise((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port: proxy.port, path: c.path, agent }, (res) => {
            let body = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => { body += chunk })
            res.on('end', () => {
              const parsed = JSON.parse(body) as { url?: string; error?: string }
              resolve({ ...c, status: res.statusCode!, forwarded: parsed.url ?? null, error: parsed.error ?? null })
            })
          })
          req.on('error', reject)
        })
      }
    }
    try {
      await Promise.all(Array.from({ length: 8 }, worker))
    } finally {
      agent.destroy()
    }

    const forwarded = results.filter((r) => r.status === 200)
    const refused = results.filter((r) => r.status === 400)
    expect(forwarded.length + refused.length).toBe(PATHS)
    expect(refused.every((r) => r.error === 'PATH_REJECTED')).toBe(true)
    // nothing refused reached the upstream
    expect(fixture.upstream('legacy').seen.length).toBe(forwarded.length)
    // no forwarded path reads as another path on any backend
    const unsafe = forwarded.map((r) => ({ sent: r.path, forwarded: r.forwarded!, why: structureChanged(r.forwarded!) })).filter((r) => r.why !== null)
    expect(unsafe).toEqual([])
    // every plain path went through
    expect(results.filter((r) => r.plain && r.status !== 200).map((r) => r.path)).toEqual([])
    // and the mix is not one-sided: risky fragments were both forwarded (where harmless) and refused
    const risky = results.filter((r) => !r.plain)
    expect(risky.filter((r) => r.status === 200).length).toBeGreaterThan(100)
    expect(risky.filter((r) => r.status === 400).length).toBeGreaterThan(1000)
  })
})
