import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { tempDir } from '../helpers/temp-dir.js'
import { replaceRulesFile, runSuggest } from '../../src/cli/run-suggest.js'

const answer = (_req: unknown, res: ServerResponse): void => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ requestId: randomUUID(), ok: true }))
}

// Two routes share one compare mapping through a YAML alias: adding to one would change the other.
const BODY = `
serve: legacy
shadow: { sample: 1.0, timeout: 2s }
routes:
  - name: a
    match: { path: /a }
    serve: legacy
    shadow: orders
    compare: &shared
      ignore: ["$.etag"]
  - name: b
    match: { path: /b }
    serve: legacy
    shadow: orders
    compare: *shared
`

let fx: ProxyFixture
let dir: string

async function suggest (opts: Omit<Parameters<typeof runSuggest>[0], 'store'> & { store?: string }): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runSuggest({ store: fx.proxy.storeDir, ...opts }, { stdout: (s) => { out += s }, stderr: (s) => { err += s } })
  return { code, out, err }
}

beforeAll(async () => {
  fx = await startProxyFixture({ upstreams: { legacy: answer, orders: answer }, rules: BODY, options: { store: 'disk' } })
  for (let i = 0; i < 5; i++) await (await fetch(`${fx.proxy.url}/b`)).arrayBuffer()
  await fx.proxy.settled()
  await fx.proxy.store.flush()
  dir = await tempDir('strangler-suggest-')
})
afterAll(async () => {
  await fx.close()
  await rm(dir, { recursive: true, force: true })
})

describe('suggest --write never leaves an invalid or wrong rules file', () => {
  it('a result the loader refuses is never written: the file, its mode and its folder stay as they were', async () => {
    const file = join(dir, 'rules.yaml')
    const good = fx.rules('serve: legacy\nroutes: []\n')
    await writeFile(file, good)
    await chmod(file, 0o640)
    const r = await replaceRulesFile(file, good.replace('serve: legacy', 'serve: nowhere'))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors.join('\n')).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ .*nowhere`, 'm'))
    expect(await readFile(file, 'utf8')).toBe(good)
    expect(await readdir(dir)).toEqual(['rules.yaml'])

    const next = good.replace('routes: []', 'routes: [] # checked')
    expect(await replaceRulesFile(file, next)).toEqual({ ok: true })
    expect(await readFile(file, 'utf8')).toBe(next)
    expect((await stat(file)).mode & 0o777).toBe(0o640)
    expect(await readdir(dir)).toEqual(['rules.yaml'])
  })

  it('an addition that would also change another route (a shared alias) is refused: exit 1, the file unchanged', async () => {
    const file = join(dir, 'shared.yaml')
    const text = fx.rules(BODY)
    await writeFile(file, text)
    const r = await suggest({ rules: file, write: true })
    expect(r.out).toMatch(/route b .*\n +ignore +\$\.requestId/)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${file} was not changed: the additions could not be written into the rules file as they are`)
    expect(await readFile(file, 'utf8')).toBe(text)
  })

  it('exit codes: invalid rules 1, an unknown route or format 2, an empty store 0', async () => {
    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, fx.rules('serve: nowhere\nroutes: []\n'))
    const invalid = await suggest({ rules: bad })
    expect(invalid.code).toBe(1)
    expect(invalid.err).toContain('has errors')

    const file = join(dir, 'shared.yaml')
    expect((await suggest({ rules: file, route: 'nope' })).code).toBe(2)
    expect((await suggest({ rules: file, format: 'yaml' })).code).toBe(2)
    const empty = await suggest({ rules: file, store: join(dir, 'no-store-here') })
    expect(empty).toMatchObject({ code: 0, out: expect.stringContaining('nothing to suggest') as unknown })
  })
})
