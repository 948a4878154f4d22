import { describe, expect, it } from 'vitest'
import { headerName } from '../../src/upstream/header-name.js'
import { connectionListed } from '../../src/upstream/hop-by-hop.js'
import { responseHeaderList } from '../../src/upstream/forward-headers.js'

const b = (s: string): Buffer => Buffer.from(s, 'latin1')

describe('response header names', () => {
  it('come out lower-case, common ones interned, others decoded', () => {
    expect(headerName(b('Content-Type'))).toBe('content-type')
    expect(headerName(b('CONTENT-LENGTH'))).toBe('content-length')
    expect(headerName(b('content-typf'))).toBe('content-typf')
    expect(headerName(b('X-Custom-Thing'))).toBe('x-custom-thing')
    expect(headerName(b('date'))).toBe('date')
    expect(headerName(b('Dat\u00e9'))).toBe('dat\u00e9')
  })

  it('drop hop-by-hop headers and those Connection lists, keeping repeats in order', () => {
    const raw = ['Content-Type', 'application/json', 'Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Set-Cookie', 'a=1', 'Keep-Alive', 'timeout=5', 'Set-Cookie', 'b=2'].map(b)
    expect(responseHeaderList(raw)).toEqual(['content-type', 'application/json', 'set-cookie', 'a=1', 'set-cookie', 'b=2'])
  })

  it('Connection: keep-alive or close names no header', () => {
    expect(connectionListed('Keep-Alive')).toEqual([])
    expect(connectionListed('close')).toEqual([])
    expect(connectionListed('close, X-Secret, upgrade')).toEqual(['x-secret'])
  })
})
