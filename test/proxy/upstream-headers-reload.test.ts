import { afterAll, beforeAll, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let proxy: TestProxy
/** the line of the rules file that sets x-token */
let tokenLine: number

beforeAll(async () => {
  process.env['TEST_UHR_TOKEN'] = 'first-token'
  fixture = await startProxyFixture({
    upstreams: {
      orders: { handler: (req, res) => { res.end(String(req.headers['x-token'])) }, headers: `{ set: { x-token: "\${TEST_UHR_TOKEN}" } }` }
    },
    rules: `
serve: orders
`
  })
  proxy = fixture.proxy
  tokenLine = (await readFile(proxy.rulesFile, 'utf8')).split('\n').findIndex(l => l.includes('x-token')) + 1
})
afterAll(async () => {
  await fixture.close()
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
  expect(rejected.ok ? [] : rejected.errors).toEqual([expect.stringMatching(new RegExp(`rules\\.yaml:${tokenLine}:\\d+ error RULES_UNSET_ENV: upstreams\\.orders\\.headers\\.set\\.x-token: environment variable TEST_UHR_TOKEN is not set$`))])
  expect(await token()).toBe('rotated-token')
})
