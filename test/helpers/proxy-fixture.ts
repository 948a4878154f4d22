import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type net from 'node:net'
import { pino } from 'pino'
import { startProxy, type RunningProxy, type StartProxyOptions } from '../../src/app/start-proxy.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { DiffRecord } from '../../src/store/record.js'
import { tempDir } from './temp-dir.js'
import { deadPort, startEchoUpstream, startTcpUpstream, startUpstream, type FakeUpstream, type Handler } from './upstream.js'

/**
 * One upstream of a fixture: a handler (an HTTP server that reads the body
 * first), `'echo'` (answers JSON naming itself after its key), `'dead'` (a
 * port with nothing listening), or the options below.
 */
export type UpstreamSpec = Handler | 'echo' | 'dead' | UpstreamOptions

export interface UpstreamOptions {
  /** an HTTP server answering with this handler */
  readonly handler?: Handler
  /** with `handler`: call it at once, before the body has arrived */
  readonly streaming?: boolean
  /** an echo upstream answering under this name */
  readonly echo?: string
  /** a raw TCP server, for answers no HTTP server would send */
  readonly tcp?: (socket: net.Socket) => void
  /** a port with nothing listening, like `'dead'` */
  readonly dead?: boolean
  /** the upstream's `timeout` in the rules, e.g. `300ms` */
  readonly timeout?: string
  /** appended to the upstream's url in the rules (its base path) */
  readonly basePath?: string
  /** the upstream's `headers` in the rules, as YAML flow text, e.g. `{ set: { x-token: "\${TOKEN}" } }` */
  readonly headers?: string
}

export type TestProxyOptions = Partial<Omit<StartProxyOptions, 'rulesFile' | 'store' | 'storeDir'>> & {
  /** `memory` (default): records held in a MemoryStore; `disk`: NDJSON files in the proxy's `storeDir` */
  readonly store?: 'memory' | 'disk'
}

/** A proxy started in-process on 127.0.0.1:0 with a silent logger, in a temp dir of its own. */
export interface TestProxy extends RunningProxy {
  readonly rulesFile: string
  readonly storeDir: string
  /** every record written so far, once all mirrors in flight have settled */
  records (): Promise<DiffRecord[]>
}

export interface ProxyFixtureOptions {
  readonly upstreams: Readonly<Record<string, UpstreamSpec>>
  /** the rules under the upstreams head (serve, routes, shadow, ...); with it, `proxy` is started at once */
  readonly rules?: string
  /** options of that proxy */
  readonly options?: TestProxyOptions
}

/**
 * Upstreams on port 0, the rules head that names them, the proxies started
 * on them and a temp dir, all torn down by one `close()`.
 */
export class ProxyFixture {
  /** a temp dir of the fixture's own, removed by `close()` */
  readonly dir: string
  readonly #upstreams: ReadonlyMap<string, FakeUpstream>
  readonly #head: string
  readonly #proxies: TestProxy[] = []
  readonly #memory = new Map<TestProxy, MemoryStore>()

  constructor (dir: string, upstreams: ReadonlyMap<string, FakeUpstream>, head: string) {
    this.dir = dir
    this.#upstreams = upstreams
    this.#head = head
  }

  /** the first proxy this fixture started */
  get proxy (): TestProxy {
    const first = this.#proxies[0]
    if (first === undefined) throw new Error('proxy fixture: no proxy started (give `rules`, or call start())')
    return first
  }

  /** the MemoryStore of `proxy` */
  get store (): MemoryStore {
    const store = this.#memory.get(this.proxy)
    if (store === undefined) throw new Error('proxy fixture: the proxy writes its records to disk, not to memory')
    return store
  }

  upstream (name: string): FakeUpstream {
    const u = this.#upstreams.get(name)
    if (u === undefined) throw new Error(`proxy fixture: no upstream named ${name}`)
    return u
  }

  /** the whole rules text: version, the upstreams head, then `body` */
  rules (body: string): string {
    if (/^(version|upstreams):/m.test(body)) throw new Error('proxy fixture: the rules body must not set version or upstreams; the fixture writes them')
    return this.#head + body.replace(/^\n+/, '')
  }

  /** write the whole rules text to `rules.yaml` in `dir`, for a proxy started otherwise; returns its path */
  async writeRules (body: string): Promise<string> {
    const file = join(this.dir, 'rules.yaml')
    await writeFile(file, this.rules(body))
    return file
  }

  /** start a proxy on these upstreams, with its rules file and store in a dir of its own; `close()` closes it too */
  async start (body: string, options: TestProxyOptions = {}): Promise<TestProxy> {
    const { store: kind = 'memory', ...rest } = options
    const dir = join(this.dir, `proxy-${this.#proxies.length + 1}`)
    await mkdir(dir)
    const rulesFile = join(dir, 'rules.yaml')
    const storeDir = join(dir, 'diffs')
    await writeFile(rulesFile, this.rules(body))
    const memory = kind === 'memory' ? new MemoryStore() : undefined
    const running = await startProxy({
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      watch: false,
      ...rest,
      rulesFile,
      storeDir,
      store: memory
    })
    const proxy: TestProxy = Object.assign(running, {
      rulesFile,
      storeDir,
      records: async (): Promise<DiffRecord[]> => {
        await running.settled()
        const out: DiffRecord[] = []
        for await (const r of running.store.read()) out.push(r)
        return out
      }
    })
    this.#proxies.push(proxy)
    if (memory !== undefined) this.#memory.set(proxy, memory)
    return proxy
  }

  /** the records of `proxy` */
  async records (): Promise<DiffRecord[]> {
    return await this.proxy.records()
  }

  /** close every proxy (closing twice is fine), then every upstream, then remove `dir` */
  async close (): Promise<void> {
    await Promise.all(this.#proxies.map(async (p) => { await p.close() }))
    await Promise.all([...this.#upstreams.values()].map(async (u) => { await u.close() }))
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** Start the upstreams (and, given `rules`, a proxy on them). */
export async function startProxyFixture (opts: ProxyFixtureOptions): Promise<ProxyFixture> {
  const upstreams = new Map<string, FakeUpstream>()
  const lines = ['version: 1', 'upstreams:']
  try {
    for (const [name, spec] of Object.entries(opts.upstreams)) {
      const u = await startSpec(name, spec)
      upstreams.set(name, u)
      const o = typeof spec === 'object' ? spec : {}
      const timeout = o.timeout === undefined ? '' : `, timeout: ${o.timeout}`
      const headers = o.headers === undefined ? '' : `, headers: ${o.headers}`
      lines.push(`  ${name}: { url: ${u.url}${o.basePath ?? ''}${timeout}${headers} }`)
    }
  } catch (err) {
    await Promise.all([...upstreams.values()].map(async (u) => { await u.close() }))
    throw err
  }
  const fixture = new ProxyFixture(await tempDir('strangler-fixture-'), upstreams, lines.join('\n') + '\n')
  if (opts.rules !== undefined) {
    try {
      await fixture.start(opts.rules, opts.options)
    } catch (err) {
      await fixture.close()
      throw err
    }
  }
  return fixture
}

async function startSpec (name: string, spec: UpstreamSpec): Promise<FakeUpstream> {
  if (spec === 'echo') return await startEchoUpstream(name)
  if (spec === 'dead') return deadUpstream(await deadPort())
  if (typeof spec === 'function') return await startUpstream(spec)
  if (spec.dead === true) return deadUpstream(await deadPort())
  if (spec.echo !== undefined) return await startEchoUpstream(spec.echo)
  if (spec.tcp !== undefined) return await startTcpUpstream(spec.tcp)
  if (spec.handler !== undefined) return await startUpstream(spec.handler, { streaming: spec.streaming })
  throw new Error(`proxy fixture: upstream ${name} needs a handler, echo, tcp or dead`)
}

function deadUpstream (port: number): FakeUpstream {
  return { url: `http://127.0.0.1:${port}`, port, seen: [], close: async () => {} }
}
