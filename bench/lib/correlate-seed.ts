import { request } from 'undici'
import { correlationCounters, type CorrelationCounters } from './admin-metrics.js'
import { spawnReady, type Child } from './child.js'

/** The two login services of the learned-correlation candidate (bench/token-backend.mjs), each issuing its own tokens. */
export interface TokenBackends {
  readonly primaryTokenPort: number
  readonly shadowTokenPort: number
  readonly children: readonly Child[]
  stop (): Promise<void>
}

export async function startTokenBackends (ports: [number, number], core: number): Promise<TokenBackends> {
  const a = await spawnReady({ name: 'token-primary', cmd: process.execPath, args: ['bench/token-backend.mjs', String(ports[0]), 'primary'], core, readyText: 'ready' })
  const b = await spawnReady({ name: 'token-shadow', cmd: process.execPath, args: ['bench/token-backend.mjs', String(ports[1]), 'shadow'], core, readyText: 'ready' })
  return { primaryTokenPort: ports[0], shadowTokenPort: ports[1], children: [a, b], stop: async () => { await Promise.all([a.stop(), b.stop()]) } }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function get (url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await request(url, { headers })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`)
  return text
}

/**
 * Teach the proxy `pairs` session-token pairs: logins `GET /api/login?i=N`
 * through it (8 at a time, fewer than the shadow's maxConcurrent), until its
 * /metrics count that many pairs. Then check that one learned primary token
 * in an `Authorization: Token …` header is substituted in an /api/items mirror,
 * and return that header for the measured load.
 */
export async function seedCorrelation (o: { proxyPort: number, adminPort: number, primaryTokenPort: number, pairs: number, timeoutMs?: number }): Promise<{ header: string, counters: CorrelationCounters }> {
  const until = Date.now() + (o.timeoutMs ?? 60_000)
  let next = 0
  for (;;) {
    const before = await correlationCounters(o.adminPort)
    if (before.pairs >= o.pairs) break
    if (Date.now() > until) throw new Error(`correlation seeding: ${before.pairs} pairs learned, ${o.pairs} wanted`)
    const end = next + (o.pairs - before.pairs)
    const worker = async (): Promise<void> => {
      while (next < end) await get(`http://127.0.0.1:${o.proxyPort}/api/login?i=${next++}`)
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    // the last mirrors' answers and comparisons are off the request path
    for (let i = 0; i < 40 && (await correlationCounters(o.adminPort)).pairs < o.pairs; i++) await sleep(50)
  }
  // a token from the middle of the learned ones (the primary side answers the same token for the same i)
  const body = JSON.parse(await get(`http://127.0.0.1:${o.primaryTokenPort}/api/login?i=${Math.floor(next / 2)}`)) as { user: { token: string } }
  const header = `Authorization: Token ${body.user.token}`
  const before = await correlationCounters(o.adminPort)
  await get(`http://127.0.0.1:${o.proxyPort}/api/items`, { authorization: `Token ${body.user.token}` })
  for (let i = 0; i < 40; i++) {
    const after = await correlationCounters(o.adminPort)
    if (after.applied > before.applied) return { header, counters: after }
    await sleep(50)
  }
  throw new Error('correlation seeding: the learned token in Authorization was not substituted in the /api/items mirror')
}
