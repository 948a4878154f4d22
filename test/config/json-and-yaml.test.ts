import { expect, test } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import { loadErrors, loadOk } from './helpers.js'

const doc = {
  version: 1,
  upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, orders: { url: 'http://127.0.0.1:4000', timeout: '5s' } },
  serve: 'legacy',
  routes: [{ name: 'get-order', match: { method: 'GET', path: '/api/orders/{id}' }, serve: { orders: 10, legacy: 90 } }]
}

test('JSON (tab-indented too) loads the same rules as YAML', async () => {
  const yaml = await loadOk(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000, timeout: 5s }
serve: legacy
routes:
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: { orders: 10, legacy: 90 }
`)
  const json = await loadOk(JSON.stringify(doc, null, 2), 'rules.json')
  const tabs = await loadOk(JSON.stringify(doc, null, '\t'), 'rules.json')
  const strip = (r: typeof yaml.rules) => ({ ...r, source: '', routes: r.routes.map(x => ({ ...x, line: 0 })) })
  expect(strip(json.rules)).toEqual(strip(yaml.rules))
  expect(strip(tabs.rules)).toEqual(strip(yaml.rules))
  expect(json.rules.routes[0]!.serve).toEqual({ kind: 'weighted', targets: [{ upstream: 'orders', weight: 10 }, { upstream: 'legacy', weight: 90 }], total: 100 })
})

test('errors in a JSON file have line and column too', async () => {
  const bad = { ...doc, routes: [{ ...doc.routes[0], serve: 'order' }] }
  const errors = await loadErrors(JSON.stringify(bad, null, '\t'), 'rules.json')
  expect(errors.map(e => [e.code, e.line, e.column, e.route])).toEqual([['RULES_UNKNOWN_UPSTREAM', 20, 13, 'get-order']])
})

test('loadRulesText names the file it is given; <inline> stays <inline>', () => {
  const r = loadRulesText(JSON.stringify(doc), '<inline>')
  if (!r.ok) throw new Error('expected ok')
  expect(r.rules.source).toBe('<inline>')
  const bad = loadRulesText('version: 1\n', 'mine.yaml')
  if (bad.ok) throw new Error('expected errors')
  expect(bad.errors.every(e => e.file === 'mine.yaml')).toBe(true)
})
