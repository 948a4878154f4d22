import { expect, it } from 'vitest'
import { parseQuery } from '../../src/routing/parse-query.js'

const parsed = (raw: string) => Object.fromEntries(parseQuery(raw))

it('reads a query string as a form: pairs on &, value after the first =, + as a space, decoded', () => {
  expect(parsed('?a=1&b=x+y&c=%41%2B&d=1=2')).toEqual({ a: ['1'], b: ['x y'], c: ['A+'], d: ['1=2'] })
  expect(parsed('a=1')).toEqual({ a: ['1'] })
})

it('keeps every value of a repeated name, in order; a bare name has the empty value', () => {
  expect(parsed('?t=1&t=2&flag&e=')).toEqual({ t: ['1', '2'], flag: [''], e: [''] })
})

it('skips empty pairs and gives nothing for no query', () => {
  expect(parsed('')).toEqual({})
  expect(parsed('?')).toEqual({})
  expect(parsed('?&&a=1&')).toEqual({ a: ['1'] })
})

it('never throws: a malformed or non-UTF-8 escape in a value gives null; in a name, the pair is left out', () => {
  expect(parsed('?a=%zz&b=%E2%82&c=%&d=ok')).toEqual({ a: [null], b: [null], c: [null], d: ['ok'] })
  expect(parsed('?%zz=1&ok=2')).toEqual({ ok: ['2'] })
})
