/** Headers that belong to one connection and never cross a proxy (RFC 9110 7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'http2-settings'
])

const NONE: readonly string[] = Object.freeze([])

/** Connection options that name no header (`Connection: keep-alive, Upgrade`). */
const CONNECTION_OPTIONS: ReadonlySet<string> = new Set(['keep-alive', 'close', 'upgrade'])

/**
 * Header names a Connection header lists beyond its plain options, lower-cased:
 * those headers are hop-by-hop too. Empty for the usual `keep-alive` or `close`.
 */
export function connectionListed (value: string | undefined): readonly string[] {
  if (value === undefined) return []
  // the usual values, without a split
  if (value.length <= 10) {
    const v = value.toLowerCase()
    if (v === 'keep-alive' || v === 'close') return NONE
  }
  const out: string[] = []
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase()
    if (name.length > 0 && !CONNECTION_OPTIONS.has(name)) out.push(name)
  }
  return out
}

/** Remove the given lower-cased names from a flat [name, value, …] list, in place. */
export function removeListed (list: string[], names: readonly string[], from = 0): void {
  let w = from
  for (let r = from; r < list.length; r += 2) {
    if (names.includes(list[r]!.toLowerCase())) continue
    list[w] = list[r]!
    list[w + 1] = list[r + 1]!
    w += 2
  }
  list.length = w
}
