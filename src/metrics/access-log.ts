import { pino, type Logger } from 'pino'

/** One request as the access log writes it. */
export interface AccessEntry {
  readonly method: string
  readonly url: string
  readonly route: string
  readonly upstream: string
  readonly status: number
  readonly ms: number
  readonly fallbackFrom: string | null
  readonly fallbackReason: string | null
}

interface PinoInternals {
  readonly stream: { write (line: string): unknown }
  readonly time: () => string
  readonly chindings: string
}

const INFO = 30

/**
 * The access log: one JSON line per request at info level, exactly the line
 * `logger.info({ method, url, route, upstream, status, ms }, 'request')`
 * writes, but built by a template straight to the logger's destination,
 * without pino's generic object walk (a few µs per request at full load;
 * test/proxy/access-log-format.test.ts holds the two byte for byte equal).
 * A logger with its own formatters, mixin, message key or prefix is not
 * templated: its lines go through logger.info as usual.
 */
export class AccessLog {
  private readonly logger: Logger
  private readonly fast: PinoInternals | null
  private readonly quoted = new Map<string, string>()

  constructor (logger: Logger) {
    this.logger = logger
    this.fast = templatable(logger)
  }

  get enabled (): boolean {
    return this.logger.isLevelEnabled('info')
  }

  write (e: AccessEntry): void {
    const fast = this.fast
    if (fast === null) {
      const line: Record<string, unknown> = { method: e.method, url: e.url, route: e.route, upstream: e.upstream, status: e.status, ms: e.ms }
      if (e.fallbackFrom !== null) {
        line.fallbackFrom = e.fallbackFrom
        line.fallbackReason = e.fallbackReason
      }
      this.logger.info(line, 'request')
      return
    }
    let s = `{"level":30${fast.time()}${fast.chindings},"method":${this.quote(e.method)},"url":${JSON.stringify(e.url)},"route":${this.quote(e.route)},"upstream":${this.quote(e.upstream)},"status":${e.status},"ms":${e.ms}`
    if (e.fallbackFrom !== null) s += `,"fallbackFrom":${this.quote(e.fallbackFrom)},"fallbackReason":${JSON.stringify(e.fallbackReason)}`
    fast.stream.write(s + ',"msg":"request"}\n')
  }

  /** JSON strings of the few names that repeat (methods, routes, upstreams), quoted once each. */
  private quote (name: string): string {
    let q = this.quoted.get(name)
    if (q === undefined) {
      q = JSON.stringify(name)
      if (this.quoted.size > 10_000) this.quoted.clear()
      this.quoted.set(name, q)
    }
    return q
  }
}

/** The pieces of a pino logger a template needs, or null when its lines are customized. */
function templatable (logger: Logger): PinoInternals | null {
  const l = logger as unknown as Record<symbol, unknown>
  const s = pino.symbols as unknown as Record<string, symbol>
  const formatters = l[s.formattersSym!] as { level?: (label: string, n: number) => unknown; log?: unknown } | undefined
  const stream = l[s.streamSym!] as PinoInternals['stream'] | undefined
  const time = l[s.timeSym!] as (() => string) | undefined
  const chindings = l[s.chindingsSym!]
  if (formatters === undefined || stream === undefined || typeof stream.write !== 'function' || typeof time !== 'function' || typeof chindings !== 'string') return null
  if (formatters.log !== undefined || typeof formatters.level !== 'function') return null
  if (JSON.stringify(formatters.level('info', INFO)) !== '{"level":30}') return null
  if (l[s.mixinSym!] !== undefined && l[s.mixinSym!] !== null) return null
  if (l[s.messageKeySym!] !== 'msg' || (l[s.nestedKeySym!] ?? null) !== null || l[s.msgPrefixSym!] !== undefined) return null
  // serializers beyond pino's default `err` one, redaction, or a multistream (wants the level of each line)
  const serializers = l[s.serializersSym!] as Record<string, unknown> | undefined
  if (serializers !== undefined && Object.keys(serializers).some((k) => k !== 'err')) return null
  if (l[s.redactFmtSym!] !== undefined) return null
  if ((stream as Record<symbol, unknown>)[s.needsMetadataGsym!] === true) return null
  const hooks = l[s.hooksSym!] as { logMethod?: unknown; streamWrite?: unknown } | undefined
  if (hooks !== undefined && (hooks.logMethod !== undefined || hooks.streamWrite !== undefined)) return null
  return { stream, time, chindings }
}
