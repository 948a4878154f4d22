import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LearnedPair } from '../../src/compare/learn-pairs.js'
import { correlateMirror, mirrorTokens, type MirrorParts } from '../../src/shadow/correlate-mirror.js'
import { Correlation } from '../../src/shadow/correlation.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { Handler } from '../helpers/upstream.js'

function learned (...pairs: LearnedPair[]): Correlation {
  const c = new Correlation()
  c.learn(pairs, 1000)
  return c
}

const PAIRS: LearnedPair[] = [
  ['tok-p', 'tok-s'],
  ['dragon', 'dragon-xiu29c'],
  ['my slug', 'a b/c'],
  [7, '0b6e-uuid'],
  ['42', 'forty-two'],
  [100, 200]
]

function parts (over: Partial<MirrorParts>): MirrorParts {
  return { path: '/', query: '', headers: [], body: null, ...over }
}

const header = (p: MirrorParts, name: string): string[] => {
  const out: string[] = []
  for (let i = 0; i < p.headers.length; i += 2) if (p.headers[i]!.toLowerCase() === name) out.push(p.headers[i + 1]!)
  return out
}

describe('correlateMirror: learned primary values replaced by their shadow values in a mirror', () => {
  it('path segments, percent-decoded first and re-encoded after (a value with spaces or slashes)', () => {
    const corr = learned(...PAIRS)
    const p = parts({ path: '/api/articles/dragon/comments/7' })
    expect(correlateMirror(p, corr)).toBe(2)
    expect(p.path).toBe('/api/articles/dragon-xiu29c/comments/0b6e-uuid')
    const q = parts({ path: '/api/articles/my%20slug' })
    expect(correlateMirror(q, corr)).toBe(1)
    expect(q.path).toBe('/api/articles/a%20b%2Fc')
    // part of a segment is no token; a segment that does not decode is left as it is
    const r = parts({ path: '/api/dragons/xdragon/%E0%A4%A/tok-p.json' })
    expect(correlateMirror(r, corr)).toBe(0)
    expect(r.path).toBe('/api/dragons/xdragon/%E0%A4%A/tok-p.json')
  })

  it('query values (decoded, `+` as a space, re-encoded); names and other values are kept', () => {
    const corr = learned(...PAIRS)
    const p = parts({ query: '?slug=dragon&q=my+slug&tok-p=1&flag&page=2' })
    expect(correlateMirror(p, corr)).toBe(2)
    expect(p.query).toBe('?slug=dragon-xiu29c&q=a%20b%2Fc&tok-p=1&flag&page=2')
  })

  it('header values: the whole value, a space- or comma-separated word of one, a cookie value', () => {
    const corr = learned(...PAIRS)
    const p = parts({
      headers: [
        'x-session', 'tok-p',
        'authorization', 'Token tok-p',
        'X-Ids', '7, dragon,8',
        'cookie', 'sid=tok-p; theme=dark; slug=dragon',
        'x-other', 'tok-pp Token'
      ]
    })
    expect(correlateMirror(p, corr)).toBe(6)
    expect(header(p, 'x-session')).toEqual(['tok-s'])
    expect(header(p, 'authorization')).toEqual(['Token tok-s'])
    expect(header(p, 'x-ids')).toEqual(['0b6e-uuid, dragon-xiu29c,8'])
    expect(header(p, 'cookie')).toEqual(['sid=tok-s; theme=dark; slug=dragon-xiu29c'])
    expect(header(p, 'x-other')).toEqual(['tok-pp Token'])
  })

  it('headers the proxy writes are never rewritten (host, content-type, forwarded, the shadow marker)', () => {
    const corr = learned(['example.test', 'other.test'], ['text/plain', 'text/html'], ['tok-p', 'tok-s'])
    const p = parts({ headers: ['host', 'example.test', 'content-type', 'text/plain', 'x-forwarded-host', 'example.test', 'x-token', 'tok-p'] })
    expect(correlateMirror(p, corr)).toBe(1)
    expect(p.headers).toEqual(['host', 'example.test', 'content-type', 'text/plain', 'x-forwarded-host', 'example.test', 'x-token', 'tok-s'])
  })

  it('JSON bodies: strings and numbers anywhere, a string only for a learned string, a number only for a learned number', () => {
    const corr = learned(...PAIRS)
    const doc = {
      token: 'tok-p',
      article: { slug: 'dragon', id: 7, tags: ['dragon', 'tok-p-not'], n: '7' },
      answer: 42,
      answerText: '42',
      count: 100,
      nested: [[{ deep: 'my slug' }]],
      flag: true,
      none: null
    }
    const p = parts({ headers: ['content-type', 'application/json; charset=utf-8'], body: Buffer.from(JSON.stringify(doc)) })
    expect(correlateMirror(p, corr)).toBe(7)
    expect(JSON.parse(p.body!.toString('utf8'))).toEqual({
      token: 'tok-s',
      article: { slug: 'dragon-xiu29c', id: '0b6e-uuid', tags: ['dragon-xiu29c', 'tok-p-not'], n: '7' },
      answer: 42,
      answerText: 'forty-two',
      count: 200,
      nested: [[{ deep: 'a b/c' }]],
      flag: true,
      none: null
    })
  })

  it('a JSON body that does not parse, or a body of another type, is sent as it came', () => {
    const corr = learned(...PAIRS)
    const bad = Buffer.from('{"token":"tok-p"')
    const p = parts({ headers: ['content-type', 'application/json'], body: bad })
    expect(correlateMirror(p, corr)).toBe(0)
    expect(p.body).toBe(bad)
    const text = Buffer.from('tok-p')
    const q = parts({ headers: ['content-type', 'text/plain'], body: text })
    expect(correlateMirror(q, corr)).toBe(0)
    expect(q.body).toBe(text)
  })

  it('form bodies: each field value, decoded and re-encoded', () => {
    const corr = learned(...PAIRS)
    const p = parts({ headers: ['Content-Type', 'application/x-www-form-urlencoded'], body: Buffer.from('slug=dragon&title=my+slug&token=tok-p&n=3') })
    expect(correlateMirror(p, corr)).toBe(3)
    expect(p.body!.toString('utf8')).toBe('slug=dragon-xiu29c&title=a%20b%2Fc&token=tok-s&n=3')
  })

  it('content-length follows the rewritten body', () => {
    const corr = learned(...PAIRS)
    const body = Buffer.from(JSON.stringify({ slug: 'dragon', id: 7 }))
    const p = parts({ headers: ['content-type', 'application/json', 'Content-Length', String(body.length)], body })
    expect(correlateMirror(p, corr)).toBe(2)
    expect(p.body!.length).toBeGreaterThan(body.length)
    expect(header(p, 'content-length')).toEqual([String(p.body!.length)])
    // an unchanged body keeps its length
    const same = Buffer.from('{"x":1}')
    const q = parts({ headers: ['content-type', 'application/json', 'content-length', '7'], body: same })
    expect(correlateMirror(q, corr)).toBe(0)
    expect(header(q, 'content-length')).toEqual(['7'])
  })

  it('every substitution is counted as applied; mirrorTokens lists what a mirror carries and changes nothing', () => {
    const corr = learned(...PAIRS)
    const p = parts({ path: '/a/dragon', query: '?t=tok-p', headers: ['authorization', 'Token tok-p', 'content-type', 'application/json'], body: Buffer.from('{"id":7}') })
    const tokens = mirrorTokens(p)
    expect(tokens).toEqual(expect.arrayContaining(['a', 'dragon', 'tok-p', 'Token tok-p', 'Token', '7']))
    expect(p.path).toBe('/a/dragon')
    expect(p.headers).toEqual(['authorization', 'Token tok-p', 'content-type', 'application/json'])
    expect(corr.stats().applied).toBe(0)
    expect(correlateMirror(p, corr)).toBe(4)
    expect(corr.stats().applied).toBe(4)
  })
})

// ---------------------------------------------------------------------------
// Through the real proxy: a login teaches tok-p -> tok-s-longer; the next mirror is rewritten, and a
// header the shadow upstream's `headers.set` adds keeps its value even when it holds tok-p.

function side (token: string): Handler {
  return (req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(req.url === '/login' ? JSON.stringify({ token }) : '{"ok":true}')
  }
}

let sp: ProxyFixture
beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: side('tok-p'),
      rewrite: { handler: side('tok-s-longer'), headers: '{ set: { x-fixed: "Token tok-p" } }' }
    },
    rules: `
serve: legacy
shadow: { sample: 1.0, timeout: 2s }
correlate:
  - { name: token, learn: ["$.token"] }
routes:
  - { name: login, match: { method: POST, path: /login }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: echo, match: { path: "/echo/**" }, serve: legacy, shadow: rewrite, shadowWrites: true }
`
  })
})
afterAll(async () => { await sp.close() })

describe('correlation in mirrors through the proxy', () => {
  it('the mirror carries the shadow\'s token everywhere the client put the primary\'s; a set header is never rewritten', async () => {
    const login = await fetch(sp.proxy.url + '/login', { method: 'POST' })
    expect(await login.json()).toEqual({ token: 'tok-p' })
    await sp.records()
    expect(sp.proxy.correlation.entry('tok-p')?.shadow).toBe('tok-s-longer')

    const body = JSON.stringify({ token: 'tok-p', n: 1 })
    const res = await fetch(sp.proxy.url + '/echo/tok-p?t=tok-p', {
      method: 'POST',
      headers: { authorization: 'Token tok-p', cookie: 'sid=tok-p', 'content-type': 'application/json', 'x-fixed': 'Token tok-p' },
      body
    })
    expect(res.status).toBe(200)
    await res.text()
    await sp.records()

    const primary = sp.upstream('legacy').seen.find((s) => s.url.startsWith('/echo/'))!
    expect(primary.url).toBe('/echo/tok-p?t=tok-p')
    expect(primary.headers.authorization).toBe('Token tok-p')
    expect(primary.body.toString()).toBe(body)

    const mirror = sp.upstream('rewrite').seen.find((s) => s.url.startsWith('/echo/'))!
    expect(mirror.url).toBe('/echo/tok-s-longer?t=tok-s-longer')
    expect(mirror.headers.authorization).toBe('Token tok-s-longer')
    expect(mirror.headers.cookie).toBe('sid=tok-s-longer')
    expect(JSON.parse(mirror.body.toString())).toEqual({ token: 'tok-s-longer', n: 1 })
    // the body grew: its content-length followed
    expect(mirror.body.length).toBeGreaterThan(Buffer.byteLength(body))
    expect(mirror.headers['content-length']).toBe(String(mirror.body.length))
    // the upstream's own header: set after the substitutions, so it keeps tok-p (and replaces the client's)
    expect(mirror.headers['x-fixed']).toBe('Token tok-p')
    // path, query, authorization, cookie, body
    expect(sp.proxy.correlation.stats().applied).toBe(5)
    const records = await sp.records()
    expect(records.map((r) => `${r.route} ${r.outcome} ${r.correlated ?? 0}`)).toEqual(['login match 1', 'echo match 0'])
  })
  it('a body the client sent chunked, without a length, reaches the shadow whole once rewritten', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(sp.proxy.url + '/echo/chunked', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode!))
      })
      req.on('error', reject)
      req.write('{"token":')
      req.end('"tok-p","tags":["tok-p"]}')
    })
    expect(status).toBe(200)
    await sp.records()
    const mirror = sp.upstream('rewrite').seen.find((s) => s.url === '/echo/chunked')!
    expect(JSON.parse(mirror.body.toString())).toEqual({ token: 'tok-s-longer', tags: ['tok-s-longer'] })
    expect(mirror.headers['content-length'] ?? String(mirror.body.length)).toBe(String(mirror.body.length))
  })
})
