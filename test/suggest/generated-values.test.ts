import { describe, expect, it } from 'vitest'
import { generatedKind, timestampKind } from '../../src/suggest/generated-values.js'

describe('what a value looks like', () => {
  it('generated: UUIDs, ULIDs, random hex and base64 tokens, prefixed request ids', () => {
    expect(generatedKind('3f0c9a2e-1b7d-4c1e-9a55-0d2b6f8e4a11')).toBe('uuid')
    expect(generatedKind('01HF3Z6W9Q8N2K7V5T4R3M1P0B')).toBe('ulid')
    expect(generatedKind('9f86d081884c7d659a2feaa0c55ad015')).toBe('hex token')
    expect(generatedKind('dGhpcyBpcyBhIHRva2Vu9Xz')).toBe('base64 token')
    expect(generatedKind('req_8f3a9c2e1b7d')).toBe('request id')
    expect(generatedKind('trace:Xk3p9QaZ2m')).toBe('request id')
  })

  it('not generated: words, names, slugs, numbers, plain digits, short hex', () => {
    for (const v of ['pen', 'Ada Lovelace', 'blue-pen-2024', 'deadbeef', '12345678901234567890', 'aaaaaaaaaaaaaaaaaaaa', 'order-1234', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 42, null, true]) {
      expect(generatedKind(v), String(v)).toBeNull()
    }
  })

  it('timestamps: ISO 8601, HTTP dates, epoch seconds and milliseconds (numbers or digits)', () => {
    expect(timestampKind('2026-11-21T10:00:00.000Z')).toBe('ISO 8601')
    expect(timestampKind('2026-11-21T10:00:00+01:00')).toBe('ISO 8601')
    expect(timestampKind('2026-11-21')).toBe('ISO 8601')
    expect(timestampKind('Sat, 21 Nov 2026 10:00:00 GMT')).toBe('HTTP date')
    expect(timestampKind(1795600000)).toBe('epoch seconds')
    expect(timestampKind(1795600000.25)).toBe('epoch seconds')
    expect(timestampKind(1795600000123)).toBe('epoch milliseconds')
    expect(timestampKind('1795600000123')).toBe('epoch milliseconds')
  })

  it('not timestamps: counts, prices, impossible dates, words', () => {
    for (const v of [42, 19.99, 123456789, 99999999999999, '2026-13-45T99:00:00Z', 'yesterday', '1234', null]) {
      expect(timestampKind(v), String(v)).toBeNull()
    }
  })
})
