/**
 * Which compared pairs are kept whole (`shadow.keepPairs`, a route's
 * `keepPairs`) and how: at most `shadow.maxPairsPerMinute` per route per
 * minute (a broken route cannot flood the store; the rest is counted), the
 * request and both responses redacted exactly like records (headers,
 * `redact.paths` in JSON bodies, query secrets), bodies decoded and capped at
 * `shadow.maxBodyBytes`.
 */
import type { RouteConfig } from '../config/types.js'
import type { CapturedResponse } from '../compare/captured-response.js'
import { bodyKind } from '../compare/body-kind.js'
import { decodeBody } from '../compare/decode-body.js'
import { headerValue } from '../compare/header-value.js'
import { redactHeaders, redactJson } from '../compare/redact.js'
import type { JsonValue } from '../store/difference.js'
import type { Outcome } from '../store/record.js'
import type { StoredBody, StoredHeaders, StoredPair, StoredResponse } from '../store/stored-pair.js'

/** What the mirror knew of the client's request. */
export interface PairRequest {
  /** the flat [name, value, …] list forwarded to the primary (host slot empty) */
  readonly headers: readonly string[]
  readonly body: Buffer | null
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function storedBody (raw: Buffer | null, headers: Readonly<Record<string, string | string[] | undefined>>, max: number, route: RouteConfig): { body: StoredBody | null; decoded: boolean } {
  if (raw === null || raw.length === 0) return { body: null, decoded: false }
  const decoded = decodeBody(raw, headerValue(headers, 'content-encoding'), { maxBytes: Math.max(max, raw.length) })
  let bytes = decoded.ok ? decoded.body : raw
  let truncated = false
  if (bytes.length > max) { bytes = bytes.subarray(0, max); truncated = true }
  let text: string | null = null
  try { text = utf8.decode(bytes) } catch { text = null }
  if (text !== null && !truncated && bodyKind(headerValue(headers, 'content-type')) === 'json') {
    try {
      text = JSON.stringify(redactJson(JSON.parse(text) as JsonValue, route.redact))
    } catch {
      // not JSON after all: kept as text
    }
  }
  const body: StoredBody = text !== null
    ? (truncated ? { encoding: 'utf8', data: text, truncated: true } : { encoding: 'utf8', data: text })
    : (truncated ? { encoding: 'base64', data: bytes.toString('base64'), truncated: true } : { encoding: 'base64', data: bytes.toString('base64') })
  return { body, decoded: decoded.ok && bytes !== raw }
}

function storedHeaders (headers: Readonly<Record<string, string | string[] | undefined>>, route: RouteConfig, decoded: boolean): StoredHeaders {
  const out: Record<string, string | readonly string[]> = {}
  for (const [k, v] of Object.entries(redactHeaders(headers, route.redact))) {
    if (v === undefined) continue
    const name = k.toLowerCase()
    // the stored body is decoded: its encoding and length headers no longer describe it
    if (decoded && (name === 'content-encoding' || name === 'content-length')) continue
    out[k] = v
  }
  return out
}

function listToObject (list: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!.toLowerCase()
    const value = list[i + 1]!
    if (name === 'host' && value === '') continue
    const had = out[name]
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value]
  }
  return out
}

function storedResponse (upstream: string, r: CapturedResponse, route: RouteConfig, max: number): StoredResponse {
  const { body, decoded } = storedBody(r.body, r.headers, max, route)
  return { upstream, status: r.status, headers: storedHeaders(r.headers, route, decoded), body }
}

export interface PairKeeperCounts {
  /** pairs not kept because their route had kept maxPairsPerMinute already this minute */
  readonly dropped: number
  readonly kept: number
}

export class PairKeeper {
  readonly #minute = new Map<string, { minute: number; n: number }>()
  #dropped = 0
  #kept = 0
  readonly #now: () => number

  constructor (now: () => number = Date.now) {
    this.#now = now
  }

  /** true when this pair is to be kept: its outcome is one the route keeps, and the route's minute has room */
  wants (route: RouteConfig, outcome: Outcome, maxPerMinute: number): boolean {
    const mode = route.keepPairs
    if (mode === 'none' || (mode === 'mismatches' && outcome !== 'mismatch')) return false
    if (outcome !== 'match' && outcome !== 'mismatch') return false
    const minute = Math.floor(this.#now() / 60_000)
    let c = this.#minute.get(route.name)
    if (c === undefined || c.minute !== minute) {
      c = { minute, n: 0 }
      this.#minute.set(route.name, c)
    }
    if (c.n >= maxPerMinute) {
      this.#dropped++
      return false
    }
    c.n++
    this.#kept++
    return true
  }

  /** The pair as stored (redacted, decoded, capped). */
  build (p: {
    readonly id: string; readonly at: string; readonly route: RouteConfig; readonly method: string; readonly url: string
    readonly request: PairRequest | null
    readonly primary: CapturedResponse & { readonly upstream: string }
    readonly shadow: CapturedResponse & { readonly upstream: string }
    readonly maxBodyBytes: number
  }): StoredPair {
    const route = p.route
    const reqHeaders = p.request === null ? {} : listToObject(p.request.headers)
    const req = storedBody(p.request?.body ?? null, reqHeaders, p.maxBodyBytes, route)
    return {
      v: 1,
      id: p.id,
      at: p.at,
      route: route.name,
      request: { method: p.method, url: p.url, headers: storedHeaders(reqHeaders, route, req.decoded), body: req.body },
      primary: storedResponse(p.primary.upstream, p.primary, route, p.maxBodyBytes),
      shadow: storedResponse(p.shadow.upstream, p.shadow, route, p.maxBodyBytes)
    }
  }

  counts (): PairKeeperCounts {
    return { dropped: this.#dropped, kept: this.#kept }
  }
}
