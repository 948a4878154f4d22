/**
 * Response header names that upstreams send on nearly every answer, by
 * length: a name that matches one of them (in any case) is returned as this
 * interned lower-case string, with no string built from the bytes.
 */
const COMMON = [
  'age', 'date', 'etag', 'vary', 'link', 'server', 'expires', 'location', 'connection', 'keep-alive',
  'set-cookie', 'content-type', 'cache-control', 'last-modified', 'accept-ranges', 'content-length',
  'content-encoding', 'content-language', 'content-location', 'transfer-encoding', 'x-content-type-options',
  'strict-transport-security', 'access-control-allow-origin', 'x-request-id', 'x-frame-options', 'pragma'
]

const byLength: Array<Array<{ name: string; bytes: Buffer }> | undefined> = []
for (const name of COMMON) {
  (byLength[name.length] ??= []).push({ name, bytes: Buffer.from(name, 'latin1') })
}

/** A raw header name (undici's bytes) as a lower-case string. */
export function headerName (raw: Buffer): string {
  const candidates = byLength[raw.length]
  if (candidates !== undefined) {
    for (let c = 0; c < candidates.length; c++) {
      const known = candidates[c]!
      if (sameIgnoringCase(raw, known.bytes)) return known.name
    }
  }
  return raw.toString('latin1').toLowerCase()
}

/** Byte equality with ASCII letters compared case-insensitively (`known` is lower-case). */
function sameIgnoringCase (raw: Buffer, known: Buffer): boolean {
  for (let i = 0; i < known.length; i++) {
    const k = known[i]!
    let b = raw[i]!
    if (b >= 65 && b <= 90) b |= 0x20
    if (b !== k) return false
  }
  return true
}
