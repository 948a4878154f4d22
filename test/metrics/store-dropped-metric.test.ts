import { afterAll, beforeAll, expect, it } from 'vitest'
import { join } from 'node:path'
import { pino } from 'pino'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let proxy: RunningProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
  const rulesFile = await fixture.writeRules(`
serve: legacy
routes:
  - { name: orders, match: { path: /api/orders }, serve: legacy, shadow: orders }
`)
  // a full disk: every write fails; at most 3 records wait for it
  const store = new NdjsonStore({
    dir: join(fixture.dir, 'diffs'),
    maxBufferedRecords: 3,
    flushIntervalMs: 3_600_000,
    onError: () => {},
    openFile: async () => ({
      write: async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) },
      datasync: async () => {},
      close: async () => {}
    })
  })
  proxy = await startProxy({ rulesFile, port: 0, logger: pino({ level: 'silent' }), watch: false, store })
})
afterAll(async () => {
  await proxy.close()
  await fixture.close()
})

it('strangler_store_dropped_total counts every record lost to a full disk (the error count is throttled)', async () => {
  for (let i = 0; i < 8; i++) await (await fetch(`${proxy.url}/api/orders`)).arrayBuffer()
  await proxy.settled()
  // one more (failing) try: every batch in flight is back in the buffer, or dropped
  await proxy.store.flush()
  expect(proxy.store.stats()).toMatchObject({ appended: 8, written: 0, buffered: 3, dropped: 5 })
  const text = await proxy.metrics.text()
  expect(text).toContain('# TYPE strangler_store_dropped_total counter')
  expect(text).toMatch(/^strangler_store_dropped_total 5$/m)
  // the sink hears of a failing disk once a minute: the error count alone would hide the loss
  expect(Number(/^strangler_store_errors_total (\d+)$/m.exec(text)![1])).toBeLessThan(5)
  // scraped again: read at scrape time, not added up
  expect(await proxy.metrics.text()).toMatch(/^strangler_store_dropped_total 5$/m)
})
