import { describe, expect, test } from 'vitest'
import { parsePathPattern } from '../../src/config/path-pattern.js'

describe('parsePathPattern', () => {
  test('static and param segments', () => {
    expect(parsePathPattern('/api/orders/{id}')).toEqual({
      source: '/api/orders/{id}',
      segments: [{ kind: 'static', value: 'api' }, { kind: 'static', value: 'orders' }, { kind: 'param', name: 'id' }],
      prefix: false
    })
  })

  test('a final /** is a prefix; /** alone is everything; / is the root only', () => {
    expect(parsePathPattern('/api/users/**')).toMatchObject({ prefix: true, segments: [{ value: 'api' }, { value: 'users' }] })
    expect(parsePathPattern('/**')).toEqual({ source: '/**', segments: [], prefix: true })
    expect(parsePathPattern('/')).toEqual({ source: '/', segments: [], prefix: false })
  })

  test('mixed segments compile to an anchored regex', () => {
    const p = parsePathPattern('/files/{file}.{ext}/v{n}')
    const file = p.segments[1]!
    const version = p.segments[2]!
    if (file.kind !== 'mixed' || version.kind !== 'mixed') throw new Error('expected mixed segments')
    expect(file.names).toEqual(['file', 'ext'])
    expect(file.regex.exec('report.tar.gz')?.slice(1)).toEqual(['report', 'tar.gz'])
    expect(file.regex.test('noext')).toBe(false)
    expect(file.regex.test('.x')).toBe(false)
    expect(version.names).toEqual(['n'])
    expect(version.regex.exec('v2')?.[1]).toBe('2')
    expect(version.regex.test('xv2')).toBe(false)
  })

  test('regex metacharacters in literals are literal', () => {
    const seg = parsePathPattern('/{a}+(b)')!.segments[0]!
    if (seg.kind !== 'mixed') throw new Error('expected mixed')
    expect(seg.regex.test('x+(b)')).toBe(true)
    expect(seg.regex.test('xx(b)')).toBe(false)
  })

  test.each([
    ['api/orders', /starts with '\/'/],
    ['/api//orders', /empty segment/],
    ['/api/orders/', /trailing '\/'/],
    ['/api/**/orders', /'\*\*' is allowed only/],
    ['/api/**x', /'\*\*' is allowed only/],
    ['/api/*', /'\*' is not supported/],
    ['/api/{id', /unbalanced braces/],
    ['/api/id}', /unbalanced braces/],
    ['/api/{a{b}}', /unbalanced braces/],
    ['/api/{}', /empty parameter/],
    ['/api/{1x}', /parameter name/],
    ['/api/{a}{b}', /next to each other/],
    ['/{id}/x/{id}', /appears twice/],
    ['/api?x=1', /'\?' is not allowed/],
    ['/api#top', /'#' is not allowed/],
    ['/api/../admin', /dot segment/],
    ['/./api', /dot segment/]
  ])('%j is refused: %s', (source, why) => {
    expect(() => parsePathPattern(source)).toThrow(why)
  })

  test('the error carries RULES_BAD_PATH_PATTERN', () => {
    try {
      parsePathPattern('x')
      expect.unreachable()
    } catch (err) {
      expect((err as { code: string }).code).toBe('RULES_BAD_PATH_PATTERN')
    }
  })
})
