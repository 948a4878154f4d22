import { describe, expect, it } from 'vitest'
import { parseSince } from '../../src/report/parse-since.js'
import { StranglerError } from '../../src/errors.js'

const now = new Date('2026-11-21T12:00:00.000Z')

describe('--since', () => {
  it('takes a duration back from now in ms, s, m, h or d', () => {
    expect(parseSince('500ms', now).toISOString()).toBe('2026-11-21T11:59:59.500Z')
    expect(parseSince('90s', now).toISOString()).toBe('2026-11-21T11:58:30.000Z')
    expect(parseSince('15m', now).toISOString()).toBe('2026-11-21T11:45:00.000Z')
    expect(parseSince('1h', now).toISOString()).toBe('2026-11-21T11:00:00.000Z')
    expect(parseSince('1.5h', now).toISOString()).toBe('2026-11-21T10:30:00.000Z')
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-14T12:00:00.000Z')
  })

  it('takes an ISO time', () => {
    expect(parseSince('2026-11-21T10:00:00Z', now).toISOString()).toBe('2026-11-21T10:00:00.000Z')
    expect(parseSince('2026-11-21T10:00:00.250+01:00', now).toISOString()).toBe('2026-11-21T09:00:00.250Z')
    expect(parseSince('2026-11-20', now).toISOString()).toBe('2026-11-20T00:00:00.000Z')
  })

  it('refuses anything else with a USAGE error', () => {
    for (const bad of ['1w', 'h', '1 h', 'yesterday', '-5m', '2026-02-30T00:00:00Z', '12:00', '']) {
      let err: unknown
      try { parseSince(bad, now) } catch (e) { err = e }
      expect(err, bad).toBeInstanceOf(StranglerError)
      expect((err as StranglerError).code).toBe('USAGE')
    }
  })
})
