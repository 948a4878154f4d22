import { expect, test } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import { loadRulesFile } from '../../src/config/load.js'
import type { Env } from '../../src/config/env-values.js'
import { writeRules } from './helpers.js'

const rules = (set: string): string => `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders:
    url: http://127.0.0.1:4000
    headers:
      set: ${set}
serve: legacy
`

const setOf = (text: string, env: Env): readonly string[] => {
  const r = loadRulesText(text, 'rules.yaml', env)
  if (!r.ok) throw new Error(r.errors.map(e => e.message).join('\n'))
  return r.rules.upstreams['orders']!.headers!.set
}

test('${NAME} reads the environment at load, anywhere in the value, as often as written', () => {
  expect(setOf(rules('{ authorization: "Bearer ${ORDERS_TOKEN}", x-pair: "${A}:${B}/${A}" }'), { ORDERS_TOKEN: 'tok-1', A: 'a', B: '' }))
    .toEqual(['authorization', 'Bearer tok-1', 'x-pair', 'a:/a'])
})

test('$${ is a literal ${; any other $ is itself', () => {
  expect(setOf(rules('{ x-literal: "$${HOME} costs $5 $$ ${X}" }'), { X: 'x', HOME: '/home/me' }))
    .toEqual(['x-literal', '${HOME} costs $5 $$ x'])
})

test('an unset variable is a load error naming the variable, the upstream and the header, at the value', () => {
  const r = loadRulesText(rules('{ x-api-key: "${ORDERS_KEY}", authorization: "Bearer ${ORDERS_TOKEN}" }'), 'rules.yaml', { ORDERS_KEY: 'k' })
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.errors.map(e => [e.code, e.line, e.column, e.message])).toEqual([
    ['RULES_UNSET_ENV', 7, 57, 'upstreams.orders.headers.set.authorization: environment variable ORDERS_TOKEN is not set']
  ])
})

test('a malformed reference is an error; so is a variable whose value a header cannot hold, without quoting it', () => {
  const bad = loadRulesText(rules('{ x-a: "${1X}", x-b: "${OPEN" }'), 'rules.yaml', {})
  expect(bad.ok).toBe(false)
  if (bad.ok) return
  expect(bad.errors.map(e => [e.code, e.at])).toEqual([
    ['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.x-a'],
    ['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.x-b']
  ])
  expect(bad.errors[0]!.message).toContain('"${1X}" is not a variable reference')
  const secret = 'line-one\r\nInjected: yes'
  const r = loadRulesText(rules('{ x-api-key: "${KEY}" }'), 'rules.yaml', { KEY: secret })
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.errors.map(e => [e.code, e.message])).toEqual([
    ['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.x-api-key: with KEY from the environment, the value has a line break, control character or non-latin1 character, which a header value cannot hold']
  ])
  expect(JSON.stringify(r)).not.toContain('Injected')
})

test('loading the file again reads the environment again', async () => {
  const file = await writeRules(rules('{ x-api-key: "${KEY}" }'))
  const first = await loadRulesFile(file, { KEY: 'one' })
  const second = await loadRulesFile(file, { KEY: 'two' })
  const third = await loadRulesFile(file, {})
  expect(first.ok && first.rules.upstreams['orders']!.headers!.set).toEqual(['x-api-key', 'one'])
  expect(second.ok && second.rules.upstreams['orders']!.headers!.set).toEqual(['x-api-key', 'two'])
  expect(third.ok).toBe(false)
})
