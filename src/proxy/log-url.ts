import { redactUrl } from '../compare/redact.js'
import type { RedactConfig, Rules } from '../config/types.js'
import type { ExchangeState } from './exchange.js'

const unioned = new WeakMap<Rules, RedactConfig>()

/**
 * Every route's redact lists at once: for a request the proxy answered
 * itself before a route was settled (a rejected path, a body over the
 * limit), whichever route it was meant for.
 */
function allRoutesRedact (rules: Rules): RedactConfig {
  let cfg = unioned.get(rules)
  if (cfg === undefined) {
    const headers = new Set<string>()
    const query = new Set<string>()
    for (const r of [rules.redact, ...rules.routes.map(route => route.redact)]) {
      for (const h of r.headers) headers.add(h)
      for (const q of r.query) query.add(q)
    }
    cfg = { headers: [...headers], paths: [], query: [...query], keep: [] }
    unioned.set(rules, cfg)
  }
  return cfg
}

/**
 * The url as the access log writes it: secrets in the query (a token, a
 * password, an api_key, anything named like a redacted header or listed
 * under `redact.query`) and JWT-shaped parts are replaced by "[redacted]",
 * as in diff records. A request the proxy answered itself (no exchange
 * state: 400 PATH_REJECTED, 413, an unparsable URL) is redacted with the
 * names of every route of `rules`. A url with neither a query nor `eyJ`
 * costs two indexOf.
 */
export function logUrl (rawUrl: string | undefined, st: ExchangeState | null, rules: Rules): string | undefined {
  if (rawUrl === undefined || (rawUrl.indexOf('?') === -1 && rawUrl.indexOf('eyJ') === -1)) return rawUrl
  return redactUrl(rawUrl, st === null ? allRoutesRedact(rules) : st.route?.redact ?? st.rules.redact)
}
