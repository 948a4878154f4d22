import { afterAll, beforeAll, expect, it } from 'vitest'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy } from '../helpers/proxy.js'
import type { RunningProxy } from '../../src/app/start-proxy.js'

let orders: FakeUpstream
let proxy: RunningProxy

beforeAll(async () => {
  process.env['TEST_UHR_TOKEN'] = 'first-token'
  orders = await startUpstream((req, res) => { res.end(String(req.headers['x-token'])) })
  proxy = await startTestProxy(`
version: 1
upstreams:
  orders:
    url: ${orders.url}
    headers: { set: { x-token: "\${TEST_UHR_TOKEN}" } }
serve: orders
`)
})
afterAll(async () => {
  await proxy.close()
  await orders.close()
  delete process.env['TEST_UHR_TOKEN']
})

const token = async (): Promise<string> => await (await fetch(`${proxy.url}/x`)).text()

it('a reload reads the environment again; an unset variable then rejects the reload and the running rules stay', async () => {
  expect(await token()).toBe('first-token')
  process.env['TEST_UHR_TOKEN'] = 'rotated-token'
  // the running rules keep the value they were loaded with
  expect(await token()).toBe('first-token')
  expect(await proxy.reloader.reload('test')).toMatchObject({ ok: true })
  expect(await token()).toBe('rotated-token')

  delete process.env['TEST_UHR_TOKEN']
  const rejected = await proxy.reloader.reload('test')
  expect(rejected.ok).toBe(false)
  expect(rejected.ok ? [] : rejected.errors).toEqual([expect.stringMatching(/rules\.yaml:6:\d+ error RULES_UNSET_ENV: upstreams\.orders\.headers\.set\.x-token: environment variable TEST_UHR_TOKEN is not set$/)])
  expect(await token()).toBe('rotated-token')
})
