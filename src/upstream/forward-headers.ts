import type { IncomingHttpHeaders } from 'node:http'
import { headerName } from './header-name.js'
import { connectionListed, HOP_BY_HOP, removeListed } from './hop-by-hop.js'

export const SHADOW_HEADER = 'x-strangler-shadow'

/** What forwardHeaderList noticed about the request's body (and Host) on the way. */
export interface BodyHeaders {
  /** the client's content-length, if any */
  contentLength: string | undefined
  /** a transfer-encoding (chunked) was sent */
  chunked: boolean
  /** how many Host headers the client sent (a request with two is refused) */
  hosts: number
}

/** Index of the `host` value in a forward header list: filled per upstream. */
export const HOST_SLOT = 1

/**
 * The headers sent upstream, as a flat [name, value, …] list undici takes
 * as is, built in one pass over the client's raw headers: no object copy,
 * no deletes. Dropped: hop-by-hop headers and those the Connection header
 * lists, `expect` (this proxy answers 100-continue itself), `host` (set per
 * upstream in slot HOST_SLOT), any x-strangler-shadow a client sent, and
 * content-length when no body is forwarded (a GET or HEAD that carried one).
 * The body's framing headers and the number of Host headers are reported
 * in `body` (so the request's header object, which Node builds lazily, is
 * never built).
 * Added: x-forwarded-for (the client's address appended), x-forwarded-proto
 * and x-forwarded-host (kept when a client sent them).
 * The list is the same for every upstream: an upstream's `headers:` edit is
 * applied to a copy, per forward and per mirror (edit-headers.ts).
 */
export function forwardHeaderList (rawHeaders: readonly string[], clientIp: string | undefined, proto: string, withBody: boolean, body: BodyHeaders): string[] {
  const out: string[] = ['host', '']
  body.contentLength = undefined
  body.chunked = false
  body.hosts = 0
  let host: string | undefined
  let xff: string | undefined
  let xfProto: string | undefined
  let xfHost: string | undefined
  let connection: string | undefined
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!
    const value = rawHeaders[i + 1]!
    const lower = name.toLowerCase()
    switch (lower) {
      case 'host': host ??= value; body.hosts++; continue
      case 'connection': connection = connection === undefined ? value : `${connection}, ${value}`; continue
      case 'expect': continue
      case SHADOW_HEADER: continue
      case 'x-forwarded-for': xff = xff === undefined ? value : `${xff}, ${value}`; continue
      case 'x-forwarded-proto': xfProto ??= value; continue
      case 'x-forwarded-host': xfHost ??= value; continue
      case 'content-length':
        body.contentLength ??= value
        if (!withBody) continue
        break
      case 'transfer-encoding': body.chunked = true; continue
    }
    if (HOP_BY_HOP.has(lower)) continue
    out.push(name, value)
  }
  if (connection !== undefined) {
    const listed = connectionListed(connection)
    if (listed.length > 0) removeListed(out, listed, 2)
  }
  const ip = clientIp ?? ''
  out.push(
    'x-forwarded-for', xff === undefined ? ip : `${xff}, ${ip}`,
    'x-forwarded-proto', xfProto ?? proto,
    'x-forwarded-host', xfHost ?? host ?? ''
  )
  return out
}

/**
 * An upstream's response headers (undici's raw Buffer pairs) as the flat
 * list `writeHead` takes, hop-by-hop headers removed. Names come out
 * lower-case (as from undici's own parser, and as HTTP/2 requires); common
 * names are interned rather than decoded. Values are read as latin1, as
 * Node's own parser does, so nothing is re-encoded.
 */
export function responseHeaderList (raw: readonly Buffer[]): string[] {
  const out: string[] = []
  let connection: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = headerName(raw[i]!)
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection') connection = raw[i + 1]!.toString('latin1')
      continue
    }
    out.push(name, raw[i + 1]!.toString('latin1'))
  }
  if (connection !== undefined) {
    const listed = connectionListed(connection)
    if (listed.length > 0) removeListed(out, listed)
  }
  return out
}

/**
 * A response header list (responseHeaderList: names already lower-case) as
 * Node's IncomingHttpHeaders object: set-cookie as an array, other repeats
 * joined with ", ". Built only for an exchange that is recorded.
 */
export function headerObject (list: readonly string[]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!
    const value = list[i + 1]!
    const prior = out[name]
    if (prior === undefined) out[name] = name === 'set-cookie' ? [value] : value
    else if (Array.isArray(prior)) prior.push(value)
    else out[name] = `${prior}, ${value}`
  }
  return out
}

/** The Host header for an upstream origin, parsed once per origin. */
export function hostOf (origin: string): string {
  let host = hosts.get(origin)
  if (host === undefined) {
    host = new URL(origin).host
    if (hosts.size > 1000) hosts.clear()
    hosts.set(origin, host)
  }
  return host
}

const hosts = new Map<string, string>()
