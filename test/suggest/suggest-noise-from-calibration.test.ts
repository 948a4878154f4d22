import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runReport } from '../../src/cli/run-report.js'
import { runSuggest } from '../../src/cli/run-suggest.js'

// The monolith numbers its own answers (a counter: no generated look, no timestamp); only
// calibration, which asks it twice, can tell that this is its own noise.
let served = 0
const legacy = (_req: unknown, res: ServerResponse): void => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ answer: ++served, total: 3 }))
}
const orders = (_req: unknown, res: ServerResponse): void => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ answer: 1, total: 3 }))
}

const BODY = `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, calibrate: 1.0 }
routes:
  - name: totals
    match: { path: /totals }
    serve: legacy
    shadow: orders
`

let fx: ProxyFixture
let rulesFile: string

async function report (): Promise<{ parity: number; noise: string[] }> {
  let out = ''
  expect(await runReport({ store: fx.proxy.storeDir, rules: rulesFile, format: 'json' }, { stdout: (s) => { out += s }, stderr: () => {} })).toBe(0)
  return (JSON.parse(out) as { routes: Array<{ parity: number; noise: string[] }> }).routes[0]!
}

beforeAll(async () => {
  fx = await startProxyFixture({ upstreams: { legacy, orders }, rules: BODY, options: { store: 'disk' } })
  for (let i = 0; i < 6; i++) await (await fetch(`${fx.proxy.url}/totals`)).arrayBuffer()
  await fx.proxy.settled()
  await fx.proxy.store.flush()
  rulesFile = join(fx.dir, 'totals.yaml')
  await writeFile(rulesFile, fx.rules(BODY))
})
afterAll(async () => { await fx.close() })

describe('suggest: paths calibration flagged as noise', () => {
  it('are proposed as ignore, with the flagged pairs as evidence, and written', async () => {
    expect(await report()).toMatchObject({ noise: ['$.answer'] })
    let out = ''
    const code = await runSuggest({ rules: rulesFile, store: fx.proxy.storeDir, write: true }, { stdout: (s) => { out += s }, stderr: (s) => { out += s } })
    expect(code).toBe(0)
    expect(out).toMatch(/ignore +\$\.answer +\(calibration noise\)\n +noise calibration saw the primary's own answers differ here; flagged noise in \d of 6 compared pairs/)
    expect(out).not.toMatch(/\$\.total/)
    expect(await readFile(rulesFile, 'utf8')).toContain('    shadow: orders\n    compare:\n      ignore: ["$.answer"]\n')
    // re-scored: the noise is ignored now, nothing left to flag
    expect(await report()).toEqual(expect.objectContaining({ parity: 1, noise: [] }))
  })
})
