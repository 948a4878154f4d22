import { describe, expect, test } from 'vitest'
import { parseDuration } from '../../src/config/duration.js'
import { parseSize } from '../../src/config/size.js'
import { HEAD, loadErrors, loadOk } from './helpers.js'

describe('parseDuration', () => {
  test.each([
    ['500ms', 500], ['5s', 5000], ['1.5s', 1500], ['2m', 120_000], ['1h', 3_600_000], ['0s', 0], ['.5s', 500]
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  test('a bare number asks for a unit', () => {
    expect(() => parseDuration('5000')).toThrow(/use a unit, e\.g\. 5s or 500ms/)
  })

  test.each(['5 seconds', 's', '5d', '-5s', '', '1m30s'])('%j is refused', text => {
    expect(() => parseDuration(text)).toThrow(/duration/)
  })
})

describe('parseSize', () => {
  test.each([
    [0, 0], [1234, 1234], ['1234', 1234], ['512b', 512], ['1kb', 1024], ['1mb', 1048576], ['1MB', 1048576],
    ['1.5kb', 1536], ['2gb', 2 * 1024 ** 3], ['64 KB', 65536]
  ])('%j is %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes)
  })

  test.each([-1, 1.5, '1.5', '1 mib', 'lots', '', '5tb'])('%j is refused', input => {
    expect(() => parseSize(input)).toThrow(/size/)
  })
})

describe('in a rules file', () => {
  test('timeouts and sizes are converted', async () => {
    const { rules } = await loadOk(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000, timeout: 1.5s }
serve: legacy
shadow: { timeout: 250ms, maxBodyBytes: 2mb }
limits: { requestBody: 10kb }
`)
    expect(rules.upstreams['legacy']!.timeoutMs).toBe(1500)
    expect(rules.shadow.timeoutMs).toBe(250)
    expect(rules.shadow.maxBodyBytes).toBe(2 * 1024 * 1024)
    expect(rules.limits.requestBodyBytes).toBe(10 * 1024)
  })

  test('a unitless timeout and a bad size are coded errors at their lines', async () => {
    const errors = await loadErrors(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000, timeout: 5000 }
serve: legacy
shadow:
  maxBodyBytes: 1 mib
`)
    expect(errors.map(e => [e.code, e.line])).toEqual([['RULES_BAD_DURATION', 3], ['RULES_BAD_SIZE', 6]])
    expect(errors[0]!.message).toMatch(/use a unit/)
    expect(errors[0]!.at).toBe('upstreams.legacy.timeout')
  })

  test('a zero timeout is refused', async () => {
    const errors = await loadErrors(HEAD + 'shadow: { timeout: 0s }\n')
    expect(errors.map(e => e.at)).toEqual(['shadow.timeout'])
  })
})
