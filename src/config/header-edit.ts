/**
 * `upstreams.NAME.headers`: the headers every request to that upstream gets
 * (`set`, replacing all copies a client sent) or loses (`remove`), compiled
 * once per load into a frozen HeaderEdit that the forwarder and the mirror
 * apply with one pass over the request's header list.
 */
import { HTTP_TOKEN } from './zod-helpers.js'
import { expandEnv, type Env, type EnvTemplate } from './env-values.js'
import type { HeaderEdit } from './types.js'

/** The upstream's `headers` as the schema gives it: lower-case names, values parsed for `${NAME}`. */
export interface RawHeaderEdit {
  readonly set: ReadonlyArray<{ readonly name: string; readonly value: EnvTemplate }>
  readonly remove: readonly string[]
}

const HOP_BY_HOP = 'a hop-by-hop header: it belongs to one connection and never crosses the proxy'

/**
 * Headers the proxy itself owns, which a rules file may neither set nor
 * remove, with the reason. The hop-by-hop list is upstream/hop-by-hop.ts's
 * (test/config/upstream-headers-refused.test.ts keeps the two in step).
 */
const PROXY_OWNED: ReadonlyMap<string, string> = new Map([
  ['host', 'the proxy sends each upstream its own host'],
  ['content-length', 'the proxy frames the request body itself'],
  ['transfer-encoding', 'the proxy frames the request body itself'],
  ['expect', 'the proxy answers 100-continue itself'],
  ['x-forwarded-for', 'the proxy appends the client\'s address to it'],
  ['x-forwarded-proto', 'the proxy keeps or adds it'],
  ['x-forwarded-host', 'the proxy keeps or adds it'],
  ['x-strangler-shadow', 'the proxy marks its mirrors with it'],
  ['connection', HOP_BY_HOP],
  ['keep-alive', HOP_BY_HOP],
  ['proxy-connection', HOP_BY_HOP],
  ['te', HOP_BY_HOP],
  ['trailer', HOP_BY_HOP],
  ['upgrade', HOP_BY_HOP],
  ['proxy-authenticate', HOP_BY_HOP],
  ['proxy-authorization', HOP_BY_HOP],
  ['http2-settings', HOP_BY_HOP]
])

/** Why a (lower-case) header name cannot be set or removed by the rules file, or null when it can. */
export function headerEditRefusal (name: string): string | null {
  const why = PROXY_OWNED.get(name)
  return why === undefined ? null : `${name} cannot be set or removed: ${why}`
}


/** A header name `headers.set` / `headers.remove` may name, lower-cased; throws saying why not. */
export function editableHeaderName (s: string): string {
  if (!HTTP_TOKEN.test(s)) throw new Error(`${JSON.stringify(s)} is not a header name`)
  const name = s.toLowerCase()
  const refusal = headerEditRefusal(name)
  if (refusal !== null) throw new Error(refusal)
  return name
}

/**
 * The compiled edit of one upstream, `${NAME}` read from `env` (checked
 * beforehand by checkEnvValues); null when it changes nothing, so a
 * pass-through upstream costs nothing per request.
 */
export function compileHeaderEdit (raw: RawHeaderEdit | undefined, env: Env): HeaderEdit | null {
  if (raw === undefined || (raw.set.length === 0 && raw.remove.length === 0)) return null
  const set: string[] = []
  for (const { name, value } of raw.set) set.push(name, expandEnv(value, env))
  const drop = [...new Set([...raw.set.map(s => s.name), ...raw.remove])]
  const edit: HeaderEdit = {
    set,
    drop: new Set(drop),
    dropLengths: new Set(drop.map(n => n.length)),
    setNames: raw.set.map(s => s.name),
    removeNames: [...raw.remove]
  }
  // whatever serializes the rules (a log line, a debug dump) sees names, never values
  Object.defineProperty(edit, 'toJSON', { value: () => ({ set: edit.setNames, remove: edit.removeNames }) })
  return edit
}
