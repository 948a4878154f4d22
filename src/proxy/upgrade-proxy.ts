import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import type { RouteConfig, Rules } from '../config/types.js'
import { ERROR_CODES, type ErrorCode } from '../errors.js'
import { redactUrl } from '../compare/redact.js'
import type { AccessLog } from '../metrics/access-log.js'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { LiveRules } from '../routing/live-rules.js'
import { checkRequestPath } from '../routing/path-guard.js'
import { pickUpstream } from '../routing/pick-upstream.js'
import { rewritePath } from '../routing/rewrite-path.js'
import { stickyKey } from '../routing/sticky-key.js'
import { classifyUpstreamError } from '../upstream/classify-error.js'
import { editHeaders } from '../upstream/edit-headers.js'
import { forwardHeaderList, HOST_SLOT, hostOf, type BodyHeaders } from '../upstream/forward-headers.js'
import { HOP_BY_HOP } from '../upstream/hop-by-hop.js'
import { TimeoutError } from '../upstream/timeout-error.js'
import { refuseRequestHead } from './request-head.js'
import { writeRawError } from './send-error.js'
import { DEFAULT_ROUTE } from './proxy-handler.js'

export interface UpgradeProxyOptions {
  readonly live: LiveRules
  readonly metrics: ProxyMetrics
  readonly log: Logger
  readonly access: AccessLog
}

const BODY: BodyHeaders = { contentLength: undefined, chunked: false, hosts: 0 }
/** how long a refused Upgrade request's socket may stay while its answer goes out */
const LINGER_MS = 1000

/**
 * Requests with `Upgrade` (WebSocket): the http server's `upgrade` listener.
 * The request is checked like any other (version, headers, path, Host),
 * routed on the live table to the serving upstream (weights and stickiness
 * included; never a shadow, a fallback or a comparison), and sent there on a
 * connection of its own. The upstream's `101 Switching Protocols` goes back
 * to the client and from then on the two sockets are piped to each other,
 * byte for byte, until either side closes. An upstream that declines (any
 * other status) has its answer relayed, and the connection closes after it.
 * Counted in strangler_requests_total (status 101) and the access log.
 */
export class UpgradeProxy {
  private readonly opts: UpgradeProxyOptions
  /** client sockets from the Upgrade request on, tunnels included */
  private readonly open = new Set<Duplex>()
  private closing = false

  constructor (opts: UpgradeProxyOptions) {
    this.opts = opts
  }

  /** Tunnels and handshakes open now. */
  get size (): number {
    return this.open.size
  }

  /** Shutdown: every tunnel and pending handshake is closed, and later Upgrade requests too. */
  closeAll (): void {
    this.closing = true
    for (const s of this.open) s.destroy()
    this.open.clear()
  }

  readonly handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const started = performance.now()
    const rules = this.opts.live.table.rules
    socket.on('error', () => socket.destroy())
    if (this.closing) {
      socket.destroy()
      return
    }
    const refuse = (code: ErrorCode, message: string, route: RouteConfig | null): void => {
      writeRawError(socket, code, message, route?.name ?? null, { lingerMs: LINGER_MS })
      this.done(req, rules, route, '-', ERROR_CODES[code].status ?? 500, started)
    }
    const refused = refuseRequestHead(req)
    if (refused !== null) return refuse(refused.code, refused.message, null)
    if (req.method !== 'GET') return refuse('METHOD_NOT_ALLOWED', `an Upgrade request must be a GET, not ${req.method ?? '?'}`, null)
    const checked = checkRequestPath(req.url ?? '/')
    if (!checked.ok) return refuse('PATH_REJECTED', checked.reason, null)
    const table = this.opts.live.table
    const route = table.match('GET', checked.path, req.rawHeaders, checked.query)
    if (checked.encoded !== null && (route === null || !route.allowEncodedPaths)) {
      return refuse('PATH_REJECTED', `${checked.encoded}; a route with allowEncodedPaths: true forwards it`, route)
    }
    const client = socket as Socket
    const forwarded = forwardHeaderList(req.rawHeaders, client.remoteAddress, 'http', false, BODY)
    if (BODY.hosts !== 1 && (BODY.hosts > 1 || req.httpVersionMinor === 1)) {
      return refuse('HOST_INVALID', BODY.hosts > 1 ? 'the request has more than one Host header' : 'an HTTP/1.1 request needs a Host header', route)
    }
    const serving = route === null
      ? table.rules.serve
      : pickUpstream(route.serve, route.sticky === null ? null : stickyKey(route.sticky, req.headers))
    const upstream = table.rules.upstreams[serving]!
    const headers = upstream.headers === null ? forwarded : editHeaders(forwarded, upstream.headers)
    headers[HOST_SLOT] = hostOf(upstream.origin)
    // the handshake's own hop-by-hop headers: this hop is the one being upgraded
    headers.push('connection', 'upgrade', 'upgrade', headerValue(req.rawHeaders, 'upgrade'))

    this.open.add(socket)
    socket.once('close', () => this.open.delete(socket))
    const target = new URL(upstream.origin)
    const request = (target.protocol === 'https:' ? https : http).request({
      host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port === '' ? undefined : Number(target.port),
      servername: target.protocol === 'https:' ? target.hostname : undefined,
      method: 'GET',
      path: upstream.basePath + rewritePath(route, checked.path) + checked.query,
      headers,
      agent: false
    })
    let answered = false
    const timer = setTimeout(() => request.destroy(new TimeoutError(upstream.timeoutMs)), upstream.timeoutMs)
    timer.unref()
    socket.once('close', () => { if (!answered) request.destroy() })

    request.on('upgrade', (res, upstreamSocket, upstreamHead) => {
      answered = true
      clearTimeout(timer)
      if (socket.destroyed || this.closing) {
        upstreamSocket.destroy()
        socket.destroy()
        return
      }
      socket.write(responseHead(res, false))
      if (upstreamHead.length > 0) socket.write(upstreamHead)
      if (head.length > 0) upstreamSocket.write(head)
      tunnel(socket, upstreamSocket)
      this.done(req, rules, route, serving, 101, started)
    })
    request.on('response', (res) => {
      // the upstream declined the upgrade: its answer, then the connection closes
      answered = true
      clearTimeout(timer)
      socket.write(responseHead(res, true))
      res.on('error', () => socket.destroy())
      res.on('end', () => setTimeout(() => socket.destroy(), LINGER_MS).unref())
      res.pipe(socket)
      this.done(req, rules, route, serving, res.statusCode ?? 502, started)
    })
    request.on('error', (err) => {
      clearTimeout(timer)
      if (answered) {
        socket.destroy()
        return
      }
      answered = true
      if (socket.destroyed) return
      const c = classifyUpstreamError(err, serving)
      this.opts.log.warn({ route: route?.name ?? DEFAULT_ROUTE, upstream: serving, err }, c.message)
      writeRawError(socket, c.code, c.message, route?.name ?? null, { lingerMs: LINGER_MS })
      this.done(req, rules, route, serving, c.status, started)
    })
    request.end()
  }

  private done (req: IncomingMessage, rules: Rules, route: RouteConfig | null, upstream: string, status: number, started: number): void {
    const routeName = route?.name ?? DEFAULT_ROUTE
    this.opts.metrics.request(routeName, upstream, status)
    const access = this.opts.access
    if (!access.enabled) return
    const url = req.url ?? ''
    access.write({
      method: req.method ?? '',
      url: url.indexOf('?') === -1 ? url : redactUrl(url, route?.redact ?? rules.redact),
      route: routeName,
      upstream,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      fallbackFrom: null,
      fallbackReason: null
    })
  }
}

/** The first value of a header in a raw [name, value, …] list (names case-insensitive). */
function headerValue (raw: readonly string[], name: string): string {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) return raw[i + 1]!
  }
  return ''
}

/**
 * A response head for the client, from the upstream's answer: for the 101,
 * every header as sent (its Connection and Upgrade belong to the handshake);
 * for a declined upgrade, hop-by-hop and framing headers dropped, since the
 * body is relayed as Node decoded it and ends with the connection.
 */
function responseHead (res: IncomingMessage, declined: boolean): string {
  const status = res.statusCode ?? 502
  let head = `HTTP/1.1 ${status} ${res.statusMessage ?? http.STATUS_CODES[status] ?? ''}\r\n`
  const raw = res.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (declined) {
      const lower = name.toLowerCase()
      if (HOP_BY_HOP.has(lower) || lower === 'content-length') continue
    }
    head += `${name}: ${raw[i + 1]!}\r\n`
  }
  if (declined) head += 'connection: close\r\n'
  return head + '\r\n'
}

/** Pipe two sockets both ways; when either closes or fails, both are closed. */
function tunnel (a: Duplex, b: Duplex): void {
  const end = (): void => {
    a.destroy()
    b.destroy()
  }
  a.on('close', end)
  b.on('close', end)
  b.on('error', end)
  a.pipe(b)
  b.pipe(a)
}
