import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'
import { classifyUpstreamError } from '../upstream/classify-error.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { ExchangeState } from './exchange.js'
import { HOST_SLOT, hostOf } from '../upstream/forward-headers.js'
import { editHeaders } from '../upstream/edit-headers.js'
import { ResponseRelay, type RelayOwner } from './response-relay.js'
import { rewritePath } from '../routing/rewrite-path.js'
import { writeError } from './send-error.js'
import { transformFor } from '../transforms/compiled-transform.js'
import { applyRequest, type Failure } from '../transforms/apply-transform.js'
import type { TransformFailures } from '../transforms/transform-failures.js'

/**
 * Sends a request to an upstream over its undici pool and relays the answer
 * to the client (ResponseRelay); on a failure or a 5xx it tries the route's
 * fallback where the route allows it, else answers the proxy's JSON error.
 */
export class Forwarder implements RelayOwner {
  private readonly pools: UpstreamPools
  private readonly metrics: ProxyMetrics
  private readonly log: Logger
  private readonly failures: TransformFailures

  constructor (pools: UpstreamPools, metrics: ProxyMetrics, log: Logger, failures: TransformFailures) {
    this.pools = pools
    this.metrics = metrics
    this.log = log
    this.failures = failures
  }

  /** Forward the exchange to `upstreamName`; the answer (or an error) goes to the client. */
  forward (st: ExchangeState, upstreamName: string, isFallback: boolean): void {
    const upstream = st.rules.upstreams[upstreamName]!
    st.answeredBy = upstreamName
    st.headMs = -1
    st.isFallback = isFallback
    // the client's headers as forwarded, edited for this upstream when it has
    // `headers:` (a fallback gets its own upstream's, never the first one's);
    // undici reads the list while dispatching: a later forward may reuse it
    let headers = upstream.headers === null ? st.headers : editHeaders(st.headers, upstream.headers)
    let path = rewritePath(st.route, st.path)
    let query = st.query
    let body = null
    if (st.method !== 'GET' && st.method !== 'HEAD') body = st.body ?? st.stream
    // the route's transform for this upstream (a canary's new side, a fallback's own)
    const transform = transformFor(st.route, upstreamName)
    if (transform?.request != null) {
      const t = applyRequest(transform.request, st.route!, st.path, { path, query, headers, body: body === st.body ? st.body : null }, body !== null && body === st.stream, st.rules.limits.transformBodyBytes)
      if (t.failure !== null) this.failures.failed(st.routeName, upstreamName, 'request', t.failure)
      path = t.parts.path
      query = t.parts.query
      headers = t.parts.headers
      if (body !== null && body === st.body) body = t.parts.body
    }
    headers[HOST_SLOT] = hostOf(upstream.origin)
    if (st.relay === null) {
      const res = st.reply.raw
      if (res.destroyed) {
        // the client left while its body was being read: nothing to forward
        st.shadowing?.primaryAborted()
        return
      }
      // one listener per exchange: it reaches whichever forward is current
      res.once('close', () => { st.relay?.clientClosed() })
    }
    const deadline = this.pools.deadline(upstream.timeoutMs)
    const relay = new ResponseRelay(this, st, upstreamName, upstream.timeoutMs, deadline, transform?.response ?? null)
    deadline.addEventListener('abort', relay)
    st.relay = relay
    try {
      // undici reports its own failures (a bad path, a closed pool) to relay.onError
      this.pools.pool(upstream.origin).dispatch({
        path: upstream.basePath + path + query,
        method: st.method,
        headers,
        body,
        // the relay's own deadline covers headers and body
        headersTimeout: 0,
        bodyTimeout: 0
      }, relay)
    } catch (err) {
      relay.onError(err as Error)
    }
  }

  answered (st: ExchangeState, relay: ResponseRelay): void {
    const ms = performance.now() - st.started
    st.headMs = ms
    this.metrics.upstreamLatency(st.routeName, relay.upstream, ms / 1000)
  }

  transformFailed (st: ExchangeState, relay: ResponseRelay, failure: Failure): void {
    this.failures.failed(st.routeName, relay.upstream, 'response', failure)
  }

  /** Send the exchange to the route's fallback after a failure, when allowed; false when not. */
  retry (st: ExchangeState, reason: string): boolean {
    const route = st.route
    if (st.isFallback || !st.canFallback || route === null || route.fallback === null) return false
    if (st.reply.raw.destroyed) return false
    const from = st.answeredBy
    st.fallbackFrom = from
    st.fallbackReason = reason
    this.metrics.fallback(route.name, from, route.fallback.upstream, reason)
    this.forward(st, route.fallback.upstream, true)
    return true
  }

  failed (st: ExchangeState, relay: ResponseRelay, err: Error): void {
    if (relay.clientGone) {
      st.shadowing?.primaryAborted()
      return
    }
    const c = classifyUpstreamError(err, relay.upstream)
    if (c.code !== 'BODY_TOO_LARGE' && this.retry(st, c.code === 'UPSTREAM_TIMEOUT' ? 'timeout' : 'error')) return
    st.shadowing?.primaryFailed(relay.upstream, c.code)
    if (c.code !== 'BODY_TOO_LARGE') this.log.warn({ route: st.routeName, upstream: relay.upstream, err: (err as { cause?: unknown }).cause ?? err }, c.message)
    writeError(st.reply.raw, c.code, c.message, st.route?.name ?? null)
  }

  broken (st: ExchangeState, relay: ResponseRelay, err: Error): void {
    st.shadowing?.primaryAborted()
    if (!relay.clientGone) {
      this.log.warn({ route: st.routeName, upstream: relay.upstream, err }, `upstream "${relay.upstream}" broke off its response`)
    }
    st.reply.raw.destroy()
  }
}

