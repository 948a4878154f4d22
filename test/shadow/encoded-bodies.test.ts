import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gzipSync, brotliCompressSync } from 'node:zlib'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { DiffRecord } from '../../src/store/record.js'

const DOC = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ id: i, label: `row ${i}` })) })
let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (req, res) => {
        res.setHeader('content-type', 'application/json')
        if (req.url === '/br') {
          res.setHeader('content-encoding', 'br')
          res.end(brotliCompressSync(DOC))
          return
        }
        res.setHeader('content-encoding', 'gzip')
        res.end(gzipSync(DOC))
      },
      orders: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(req.url === '/gzip-changed' ? DOC.replace('row 3', 'row three') : DOC)
      }
    },
    rules: `
serve: legacy
routes:
  - { name: enc, match: { path: "/**" }, serve: legacy, shadow: orders }
`
  })
})
afterAll(async () => { await sp.close() })

async function record (path: string): Promise<DiffRecord> {
  const res = await fetch(sp.proxy.url + path)
  // the client gets the body it asked for (fetch decodes it)
  expect(await res.text()).toBe(DOC)
  return (await sp.records()).find((r) => r.url === path)!
}

describe('encoded bodies are decoded before comparing', () => {
  it('gzip primary vs plain shadow with the same document: match', async () => {
    expect((await record('/gzip')).outcome).toBe('match')
  })
  it('brotli primary vs plain shadow: match', async () => {
    expect((await record('/br')).outcome).toBe('match')
  })
  it('gzip primary vs a plain shadow that differs: the difference is found inside', async () => {
    const r = await record('/gzip-changed')
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.items[3].label', primary: 'row 3', shadow: 'row three' }])
  })
})
