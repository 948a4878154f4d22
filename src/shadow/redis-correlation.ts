/**
 * Shared learned correlation in Redis (README "Learned correlation", "Shared
 * across a fleet"):
 * - a pair learned here is written as `SET <prefix><sha256(P)> <sealed> EX ttl`
 *   and announced on `<prefix>learned` (`<instance> <hash> <sealed>`), where
 *   sealed is the shadow value encrypted under a key derived from P
 *   (seal-pair.ts): Redis holds no primary value and cannot read a shadow one;
 * - announcements of other proxies are held by hash, and opened when a mirror
 *   or a comparison meets the primary value;
 * - a mirror's token that neither holds is asked of Redis (MGET), at most
 *   `lookupTimeoutMs`, off the client's path; a miss is remembered a while;
 * - a primary answer whose pairs are being learned here is announced on
 *   `<prefix>learning` (`<instance> <hash> <ms>`): another proxy's mirror
 *   carrying one of its values waits (at most the shadow timeout) for the
 *   pair's announcement instead of going out uncorrelated, as a mirror in
 *   the same process waits for a pair being learned there.
 * Redis down or slow: every failure is counted by operation, logged at most
 * every 30 s per operation, and the proxy goes on local-only; ioredis
 * reconnects (and resubscribes) by itself. Commands are never queued while
 * disconnected.
 */
import { randomBytes } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from 'pino'
import type { LearnedPair, LearnedValue } from '../compare/learn-pairs.js'
import type { SharedCorrelationCounts } from '../metrics/metrics.js'
import type { Correlation, LearnedEntry } from './correlation.js'
import { openEntry, pairHash, sealEntry } from './seal-pair.js'
import type { RedisAddress } from './redis-url.js'
import type { SharedCorrelation } from './shared-correlation.js'

export const DEFAULT_CORRELATION_PREFIX = 'strangler:corr:'
export const DEFAULT_CORRELATION_TTL_SECONDS = 3600

export interface RedisCorrelationOptions {
  readonly address: RedisAddress
  /** key prefix (default `strangler:corr:`); the announcement channel is `<prefix>learned` */
  readonly prefix?: string
  /** seconds a pair lives in Redis (default 3600) */
  readonly ttlSeconds?: number
  /** the longest a mirror waits for Redis's answer (default 50 ms) */
  readonly lookupTimeoutMs?: number
  /** announcements held, by hash (default 100,000; oldest dropped first) */
  readonly heldEntries?: number
  readonly log: Logger
}

type Op = 'set' | 'publish' | 'get' | 'subscribe' | 'connection'

/** at most this many tokens of one mirror asked of Redis */
const MAX_ASK = 32
/** a token Redis did not know is not asked again for this long (an announcement lifts it at once) */
const ABSENT_MS = 30_000
const MAX_ABSENT = 10_000
const LOG_EVERY_MS = 30_000
/** an announced learning is waited for at most this long, whatever it said */
const MAX_LEARNING_MS = 60_000
const MAX_LEARNING = 10_000
const QUIT_MS = 500

export class RedisCorrelation implements SharedCorrelation {
  readonly #client: Redis
  readonly #sub: Redis
  readonly instance = randomBytes(8).toString('hex')
  readonly #prefix: string
  readonly #channel: string
  readonly #learningChannel: string
  readonly #ttl: number
  readonly #timeoutMs: number
  readonly #held: number
  readonly #log: Logger
  readonly #shown: string
  readonly #secrets: string[]
  /** hash -> sealed pair, announced by other proxies */
  readonly #announced = new Map<string, string>()
  /** hash -> until when Redis is not asked for it again */
  readonly #absent = new Map<string, number>()
  /** hash -> until when another proxy said it is learning that value's pair */
  readonly #learning = new Map<string, number>()
  /** hash -> mirrors waiting for its pair's announcement */
  readonly #waiting = new Map<string, Array<() => void>>()
  #waited = 0
  #waitTimeouts = 0
  readonly #errors: Record<Op, number> = { set: 0, publish: 0, get: 0, subscribe: 0, connection: 0 }
  readonly #logged = new Map<Op, { at: number; quiet: number }>()
  #published = 0
  #received = 0
  #fetched = 0
  #adopted = 0
  #closed = false

  constructor (opts: RedisCorrelationOptions) {
    this.#prefix = opts.prefix ?? DEFAULT_CORRELATION_PREFIX
    this.#channel = `${this.#prefix}learned`
    this.#learningChannel = `${this.#prefix}learning`
    this.#ttl = opts.ttlSeconds ?? DEFAULT_CORRELATION_TTL_SECONDS
    this.#timeoutMs = opts.lookupTimeoutMs ?? 50
    this.#held = opts.heldEntries ?? 100_000
    this.#log = opts.log
    this.#shown = opts.address.shown
    this.#secrets = secretsOf(opts.address.url)
    const common: RedisOptions = {
      // CLIENT LIST names each proxy's connections
      connectionName: `strangler-correlation-${this.instance}`,
      connectTimeout: 2000,
      // a closed link's socket is not waited for at shutdown (ioredis waits 2 s by default)
      disconnectTimeout: 100,
      commandTimeout: 1000,
      // never delay: a command while disconnected fails at once, one in flight when the link drops too
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 100, 2000)
    }
    this.#client = new Redis(opts.address.url, common)
    // the subscriber's one SUBSCRIBE waits for the connection; ioredis resubscribes after a reconnect
    this.#sub = new Redis(opts.address.url, { ...common, commandTimeout: undefined, enableOfflineQueue: true, maxRetriesPerRequest: null })
    for (const c of [this.#client, this.#sub]) {
      c.on('error', (err: Error) => this.#fail('connection', err))
      c.on('ready', () => this.#recovered())
    }
    this.#sub.on('message', (channel: string, message: string) => this.#announcement(channel, message))
    this.#sub.subscribe(this.#channel, this.#learningChannel).catch((err: unknown) => this.#fail('subscribe', err))
  }

  learned (pairs: readonly LearnedPair[]): void {
    if (pairs.length === 0 || this.#closed) return
    if (this.#client.status !== 'ready') {
      this.#fail('set', new Error(`not connected (${this.#client.status})`), pairs.length)
      return
    }
    const pipe = this.#client.pipeline()
    for (const [p, s] of pairs) {
      const primary = String(p)
      const hash = pairHash(primary)
      const sealed = sealEntry(primary, hash, { shadow: s, primaryIsNumber: typeof p === 'number' })
      pipe.set(this.#prefix + hash, sealed, 'EX', this.#ttl)
      pipe.publish(this.#channel, `${this.instance} ${hash} ${sealed}`)
    }
    pipe.exec().then((results) => {
      if (results === null) { this.#fail('set', new Error('pipeline discarded'), pairs.length); return }
      for (let i = 0; i < results.length; i += 2) {
        const setErr = results[i]![0]
        const pubErr = results[i + 1]?.[0] ?? null
        if (setErr !== null) this.#fail('set', setErr)
        else this.#published++
        if (pubErr !== null) this.#fail('publish', pubErr)
      }
    }, (err: unknown) => this.#fail('set', err, pairs.length))
  }

  learning (values: readonly string[], forMs: number): void {
    if (values.length === 0 || this.#closed) return
    if (this.#client.status !== 'ready') {
      this.#fail('publish', new Error(`not connected (${this.#client.status})`), values.length)
      return
    }
    const ms = Math.max(1, Math.min(Math.round(forMs), MAX_LEARNING_MS))
    const pipe = this.#client.pipeline()
    for (const v of new Set(values)) pipe.publish(this.#learningChannel, `${this.instance} ${pairHash(v)} ${ms}`)
    pipe.exec().then((results) => {
      for (const [err] of results ?? []) if (err !== null) this.#fail('publish', err)
    }, (err: unknown) => this.#fail('publish', err, values.length))
  }

  resolve (tokens: readonly string[], corr: Correlation, maxEntries: number, go: () => void, waitMs = 0): void {
    const hashes: string[] = []
    const primaries: string[] = []
    const now = Date.now()
    for (const token of tokens) {
      if (corr.entry(token) !== undefined) continue
      const hash = pairHash(token)
      const sealed = this.#announced.get(hash)
      if (sealed !== undefined && this.#adopt(token, hash, sealed, corr, maxEntries)) continue
      const until = this.#absent.get(hash)
      if (until !== undefined && until > now) continue
      if (hashes.includes(hash)) continue
      hashes.push(hash)
      primaries.push(token)
      if (hashes.length >= MAX_ASK) break
    }
    if (hashes.length === 0 || this.#closed) { this.#awaitLearning(tokens, corr, maxEntries, waitMs, go); return }
    if (this.#client.status !== 'ready') {
      this.#fail('get', new Error(`not connected (${this.#client.status})`))
      go()
      return
    }
    const asked = hashes
    let gone = false
    const finish = (): void => {
      if (gone) return
      gone = true
      clearTimeout(timer)
      setImmediate(() => this.#awaitLearning(tokens, corr, maxEntries, waitMs, go))
    }
    const timer = setTimeout(() => {
      if (gone) return
      this.#fail('get', new Error(`no answer within ${this.#timeoutMs} ms`))
      finish()
    }, this.#timeoutMs)
    timer.unref()
    this.#client.mget(asked.map((h) => this.#prefix + h)).then((values) => {
      const at = Date.now()
      for (let i = 0; i < asked.length; i++) {
        const v = values[i]
        if (v === null || v === undefined) { this.#markAbsent(asked[i]!, at); continue }
        this.#fetched++
        this.#adopt(primaries[i]!, asked[i]!, v, corr, maxEntries)
      }
      finish()
    }, (err: unknown) => {
      if (!gone) this.#fail('get', err)
      finish()
    })
  }

  lookup (primary: string, corr: Correlation, maxEntries: number): LearnedValue | undefined {
    if (this.#announced.size === 0) return undefined
    const hash = pairHash(primary)
    const sealed = this.#announced.get(hash)
    if (sealed === undefined || !this.#adopt(primary, hash, sealed, corr, maxEntries)) return undefined
    return corr.entry(primary)?.shadow
  }

  stats (): SharedCorrelationCounts {
    return { published: this.#published, received: this.#received, fetched: this.#fetched, adopted: this.#adopted, errors: { ...this.#errors }, waited: this.#waited, waitTimeouts: this.#waitTimeouts }
  }

  async ready (timeoutMs: number): Promise<boolean> {
    const connected = (): boolean => this.#client.status === 'ready' && this.#sub.status === 'ready'
    if (connected()) return true
    return await new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (!connected()) return
        done(true)
      }
      const timer = setTimeout(() => done(false), timeoutMs)
      const done = (ok: boolean): void => {
        clearTimeout(timer)
        this.#client.off('ready', check)
        this.#sub.off('ready', check)
        resolve(ok)
      }
      this.#client.on('ready', check)
      this.#sub.on('ready', check)
    })
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // waiting mirrors go on at once
    const waiting = [...this.#waiting.values()]
    this.#waiting.clear()
    for (const list of waiting) for (const wake of list) wake()
    await Promise.all([quit(this.#client), quit(this.#sub)])
  }

  #adopt (primary: string, hash: string, sealed: string, corr: Correlation, maxEntries: number): boolean {
    const entry: LearnedEntry | null = openEntry(primary, hash, sealed)
    if (entry === null) return false
    corr.adopt(primary, entry, maxEntries)
    this.#adopted++
    return true
  }

  /**
   * The tokens of a mirror that neither this process nor the fleet's store
   * holds, but that another proxy announced it is learning: wait for their
   * pairs' announcements (adopted as they come), at most `waitMs` and never
   * past what the announcement said; then `go`. Nothing to wait for: `go` now.
   */
  #awaitLearning (tokens: readonly string[], corr: Correlation, maxEntries: number, waitMs: number, go: () => void): void {
    if (waitMs <= 0 || this.#learning.size === 0 || this.#closed) { go(); return }
    const now = Date.now()
    const hashes: string[] = []
    const primaries: string[] = []
    let until = now
    for (const token of tokens) {
      if (corr.entry(token) !== undefined) continue
      const hash = pairHash(token)
      const u = this.#learning.get(hash)
      if (u === undefined || u <= now || hashes.includes(hash)) continue
      hashes.push(hash)
      primaries.push(token)
      if (u > until) until = u
      if (hashes.length >= MAX_ASK) break
    }
    if (hashes.length === 0) { go(); return }
    this.#waited++
    let left = hashes.length
    let gone = false
    const wakes: Array<() => void> = []
    const done = (timedOut: boolean): void => {
      if (gone) return
      gone = true
      clearTimeout(timer)
      if (timedOut) this.#waitTimeouts++
      for (let i = 0; i < hashes.length; i++) {
        const list = this.#waiting.get(hashes[i]!)
        if (list === undefined) continue
        const at = list.indexOf(wakes[i]!)
        if (at !== -1) list.splice(at, 1)
        if (list.length === 0) this.#waiting.delete(hashes[i]!)
      }
      setImmediate(go)
    }
    const timer = setTimeout(() => done(true), Math.min(waitMs, until - now))
    timer.unref()
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!
      const primary = primaries[i]!
      const wake = (): void => {
        const sealed = this.#announced.get(hash)
        if (sealed !== undefined) this.#adopt(primary, hash, sealed, corr, maxEntries)
        if (--left === 0) done(false)
      }
      wakes.push(wake)
      const list = this.#waiting.get(hash)
      if (list === undefined) this.#waiting.set(hash, [wake])
      else list.push(wake)
    }
  }

  #announcement (channel: string, message: string): void {
    if (channel === this.#learningChannel) {
      const [from, hash, ms] = message.split(' ')
      const forMs = Number(ms)
      if (from === this.instance || hash === undefined || !/^[0-9a-f]{64}$/.test(hash) || !(forMs > 0)) return
      this.#learning.delete(hash)
      this.#learning.set(hash, Date.now() + Math.min(forMs, MAX_LEARNING_MS))
      // a miss remembered before the announcement no longer holds
      this.#absent.delete(hash)
      while (this.#learning.size > MAX_LEARNING) this.#learning.delete(this.#learning.keys().next().value!)
      return
    }
    if (channel !== this.#channel) return
    const [from, hash, sealed] = message.split(' ')
    if (from === this.instance || hash === undefined || sealed === undefined || !/^[0-9a-f]{64}$/.test(hash)) return
    this.#received++
    this.#announced.delete(hash)
    this.#announced.set(hash, sealed)
    this.#absent.delete(hash)
    this.#learning.delete(hash)
    while (this.#announced.size > this.#held) this.#announced.delete(this.#announced.keys().next().value!)
    const waiting = this.#waiting.get(hash)
    if (waiting !== undefined) {
      this.#waiting.delete(hash)
      for (const wake of waiting) wake()
    }
  }

  #markAbsent (hash: string, at: number): void {
    this.#absent.delete(hash)
    this.#absent.set(hash, at + ABSENT_MS)
    while (this.#absent.size > MAX_ABSENT) this.#absent.delete(this.#absent.keys().next().value!)
  }

  #fail (op: Op, err: unknown, n = 1): void {
    this.#errors[op] += n
    if (this.#closed) return
    const now = Date.now()
    const last = this.#logged.get(op)
    if (last !== undefined && now - last.at < LOG_EVERY_MS) { last.quiet += n; return }
    this.#logged.set(op, { at: now, quiet: 0 })
    this.#log.warn({ op, redis: this.#shown, error: this.#clean(err), alsoSince: last?.quiet ?? 0 }, 'shared correlation: Redis failed, going on with this proxy\'s own pairs')
  }

  #recovered (): void {
    if (this.#logged.size === 0 || this.#closed) return
    this.#logged.clear()
    this.#log.info({ redis: this.#shown }, 'shared correlation: Redis connected again')
  }

  /** an error's message with the address's password (and user) cut out */
  #clean (err: unknown): string {
    let text = err instanceof Error ? err.message : String(err)
    for (const s of this.#secrets) text = text.split(s).join('***')
    return text
  }
}

function secretsOf (url: string): string[] {
  try {
    const u = new URL(url)
    if (u.password === '') return []
    return [...new Set([u.password, decodeURIComponent(u.password)])].filter((s) => s.length > 0)
  } catch {
    return []
  }
}

async function quit (c: Redis): Promise<void> {
  if (c.status === 'ready') {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      c.quit().catch(() => {}),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, QUIT_MS) })
    ])
    clearTimeout(timer)
  }
  c.disconnect()
}
