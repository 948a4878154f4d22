import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openEntry, pairHash, sealEntry } from '../../src/shadow/seal-pair.js'
import { parseRedisUrl, redactRedisUrl } from '../../src/shadow/redis-url.js'
import { StranglerError } from '../../src/errors.js'

describe('a shared pair: found by hash, readable only with the primary value', () => {
  const primary = '0f3a9c1e5b7d2a4c6e8f0a1b2c3d4e5f'
  const hash = pairHash(primary)

  it('is named by the hex SHA-256 of the primary value', () => {
    expect(hash).toBe(createHash('sha256').update(primary).digest('hex'))
  })

  it('opens with the primary value, and names neither value', () => {
    const sealed = sealEntry(primary, hash, { shadow: 'eyJhbGciOi.shadow-token', primaryIsNumber: false })
    expect(openEntry(primary, hash, sealed)).toEqual({ shadow: 'eyJhbGciOi.shadow-token', primaryIsNumber: false })
    expect(sealed).not.toContain('shadow-token')
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('shadow-token')
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(primary)
    // a learned number is found by its digits, and stays a number
    const n = pairHash('42')
    expect(openEntry('42', n, sealEntry('42', n, { shadow: 'uuid-1', primaryIsNumber: true }))).toEqual({ shadow: 'uuid-1', primaryIsNumber: true })
  })

  it('does not open with another value, under another hash, or tampered', () => {
    const sealed = sealEntry(primary, hash, { shadow: 7, primaryIsNumber: true })
    expect(openEntry(primary + 'x', hash, sealed)).toBeNull()
    expect(openEntry(primary, pairHash('other'), sealed)).toBeNull()
    const raw = Buffer.from(sealed, 'base64url')
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1
    expect(openEntry(primary, hash, raw.toString('base64url'))).toBeNull()
    expect(openEntry(primary, hash, 'not-sealed')).toBeNull()
  })

  it('seals the same pair differently each time (a fresh IV)', () => {
    const e = { shadow: 's', primaryIsNumber: false }
    expect(sealEntry(primary, hash, e)).not.toBe(sealEntry(primary, hash, e))
  })
})

describe('the --correlation address', () => {
  it('masks the password wherever it is shown', () => {
    expect(redactRedisUrl('redis://user:p%40ss@cache:6379/2')).toBe('redis://user:***@cache:6379/2')
    expect(redactRedisUrl('redis://cache:6379')).toBe('redis://cache:6379')
    expect(parseRedisUrl('rediss://:pw@cache:6380/0')).toEqual({ url: 'rediss://:pw@cache:6380/0', shown: 'rediss://:***@cache:6380/0' })
  })

  it.each([
    ['postgres://u:pw@db/x', 'is a postgres address'],
    ['cache:6379', 'is a cache address'],
    ['redis://:pw@cache:6379/zero', 'is not a number'],
    ['not a url', 'not a URL']
  ])('refuses %s (USAGE), never echoing the password', (url, says) => {
    let err: unknown
    try { parseRedisUrl(url) } catch (e) { err = e }
    expect(err).toBeInstanceOf(StranglerError)
    expect((err as StranglerError).code).toBe('USAGE')
    expect((err as Error).message).toContain(says)
    expect((err as Error).message).not.toContain(':pw@')
  })
})
