import { redactUrl } from '../compare/redact.js'
import type { ExchangeState } from './exchange.js'

/**
 * The url as the access log writes it: secrets in the query (an api_key, a
 * token, a password, anything named like a redacted header) are replaced by
 * "[redacted]", as in diff records. A url without a query costs one indexOf.
 */
export function logUrl (rawUrl: string | undefined, st: ExchangeState | null): string | undefined {
  if (rawUrl === undefined || rawUrl.indexOf('?') === -1 || st === null) return rawUrl
  return redactUrl(rawUrl, st.route?.redact ?? st.rules.redact)
}
