import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import net from 'node:net'

// Request smuggling forms over raw sockets (issue 12). Each form is a request
// whose framing is ambiguous or malformed, hiding `GET /smuggled` in what one
// reading calls its body, followed on the same socket by a plain pipelined
// `GET /api/after`. A desync is any request the upstream (serving or mirror)
// saw that the client did not get the answer to (or the reverse), or a
// pipelined request swallowed into another's body. (Where the proxy's framing
// makes `/smuggled` a request of its own, it must be answered like any other.)
// A socket the proxy keeps open (waiting for a body that never comes) is read
// until IDLE_MS pass without data.
const IDLE_MS = 400
const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n'
const te = (head: string): string => `POST /api/a HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n0\r\n\r\n${SMUGGLED}`
const chunked = (head: string, chunks: string): string => `POST /api/a HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n${chunks}`

export const FORMS: ReadonlyArray<readonly [string, string]> = [
  ['CL.TE', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: ${5 + SMUGGLED.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['TE.CL', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`],
  ['TE.CL, TE first', `POST /api/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`],
  ['TE.TE: xchunked', te('Content-Length: 5\r\nTransfer-Encoding: xchunked')],
  ['TE.TE: space before colon', te('Content-Length: 5\r\nTransfer-Encoding : chunked')],
  ['TE.TE: tab value', te('Content-Length: 5\r\nTransfer-Encoding:\tchunked')],
  ['TE.TE: two headers, one bogus', te('Transfer-Encoding: chunked\r\nTransfer-Encoding: x')],
  ['TE.TE: bogus then chunked', te('Transfer-Encoding: x\r\nTransfer-Encoding: chunked')],
  ['TE.TE: obs-fold', te('Content-Length: 5\r\nX: y\r\n Transfer-Encoding: chunked')],
  ['TE.TE: folded value', te('Transfer-Encoding:\r\n chunked')],
  ['TE.TE: quoted', te('Content-Length: 5\r\nTransfer-Encoding: "chunked"')],
  ['TE.TE: chunked, identity', te('Transfer-Encoding: chunked, identity')],
  ['TE.TE: LF before TE', te('Content-Length: 5\r\nX: y\nTransfer-Encoding: chunked')],
  ['TE.TE: NUL in name', te('Content-Length: 5\r\nTransfer-Encoding\u0000: chunked')],
  ['TE.TE: CR in value', te('Content-Length: 5\r\nTransfer-Encoding: chunked\rx')],
  ['duplicate Content-Length', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['Content-Length list', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0, ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['Content-Length with a sign', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: +0\r\n\r\n${SMUGGLED}`],
  ['negative Content-Length', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n${SMUGGLED}`],
  ['Content-Length with spaces inside', `POST /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0 ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['chunk-size overflow', chunked('Transfer-Encoding: chunked', `10000000000000000${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`)],
  ['chunk-size 2^64 - 1', chunked('Transfer-Encoding: chunked', `ffffffffffffffff\r\n${SMUGGLED}\r\n0\r\n\r\n`)],
  ['negative chunk size', chunked('Transfer-Encoding: chunked', `-1\r\n${SMUGGLED}\r\n0\r\n\r\n`)],
  ['chunk size with trailing garbage', chunked('Transfer-Encoding: chunked', `0x5\r\n${SMUGGLED}\r\n0\r\n\r\n`)],
  ['chunk data longer than its size', chunked('Transfer-Encoding: chunked', `1\r\nab\r\n0\r\n\r\n${SMUGGLED}`)],
  ['LF-only chunk lines', chunked('Transfer-Encoding: chunked', `0\n\n${SMUGGLED}`)],
  ['bare CR chunk line', chunked('Transfer-Encoding: chunked', `0\r\r${SMUGGLED}`)],
  ['LF-only request', `POST /api/a HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n${SMUGGLED}`],
  ['HTTP/1.0 with chunked', `POST /api/a HTTP/1.0\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['GET with a body', `GET /api/a HTTP/1.1\r\nHost: x\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['trailer with a request line', chunked('Transfer-Encoding: chunked', `0\r\n${SMUGGLED}`)]
]

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', mirror: 'echo' },
    rules: 'serve: legacy\nroutes:\n  - { name: api, match: { path: "/api/**" }, serve: legacy, shadow: mirror, shadowWrites: true }\n'
  })
})
afterAll(async () => { await fixture.close() })

/** send `text` and read until the proxy closes, or stays silent for IDLE_MS */
async function exchange (port: number, text: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let timer = setTimeout(() => socket.destroy(), IDLE_MS)
    socket.on('data', (c) => {
      chunks.push(c)
      clearTimeout(timer)
      timer = setTimeout(() => socket.destroy(), IDLE_MS)
    })
    socket.on('error', (err) => { clearTimeout(timer); reject(err) })
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')) })
    socket.write(text)
  })
}

/** method, url and body of each echo answer the client read, in order */
function echoes (text: string): string[] {
  const out: string[] = []
  const re = /\{"upstream":"legacy","method":"([A-Z]+)","url":"([^"]*)","headers":\{.*?\},"body":("(?:[^"\\]|\\.)*")\}/g
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(`${m[1]!} ${m[2]!} ${JSON.parse(m[3]!) as string}`)
  return out
}

describe(`request smuggling: ${FORMS.length} forms, 0 desyncs`, () => {
  for (const [name, form] of FORMS) {
    it(name, async () => {
      const legacy = fixture.upstream('legacy')
      const mirror = fixture.upstream('mirror')
      const [l0, m0] = [legacy.seen.length, mirror.seen.length]
      const res = await exchange(fixture.proxy.port, form + 'GET /api/after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
      await fixture.proxy.settled()
      const upstream = legacy.seen.slice(l0).map((s) => `${s.method} ${s.url} ${s.body.toString('utf8')}`)
      const mirrored = mirror.seen.slice(m0).map((s) => `${s.method} ${s.url} ${s.body.toString('utf8')}`)
      // the upstream saw exactly the requests whose answers the client read (pipelined requests may reach it in any order)
      expect([...upstream].sort()).toEqual(echoes(res).sort())
      // the mirror saw no request the upstream did not
      expect(mirrored.filter((m) => !upstream.includes(m))).toEqual([])
      // no pipelined request was swallowed into a body
      expect([...upstream, ...mirrored].filter((s) => s.slice(s.indexOf(' ', s.indexOf(' ') + 1)).includes('/api/after'))).toEqual([])
      // the client got an answer (an echo or the proxy's own error), or, for a chunk still owed, nothing yet and nothing was answered upstream
      expect(res.startsWith('HTTP/1.1 ') || (res === '' && upstream.length === 0)).toBe(true)
    })
  }
})
