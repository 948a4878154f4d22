import type { RequestTransform } from '../config/types.js'

type QueryEdit = NonNullable<RequestTransform['query']>

/**
 * Edit a query string (`''` or `?a=1&b=2`): parameters renamed, then removed,
 * then set (replacing every copy). Names compare exactly, as sent; the other
 * parameters keep their order and encoding. `;` is kept as part of a value.
 */
export function editQuery (query: string, edit: QueryEdit): string {
  const parts = query.length <= 1 ? [] : query.slice(1).split('&')
  const out: string[] = []
  for (const part of parts) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    const name = decode(rawName)
    const renamed = edit.rename.find(([from]) => from === name)
    const finalName = renamed === undefined ? name : renamed[1]
    if (edit.remove.includes(finalName) || edit.set.some(([n]) => n === finalName)) continue
    out.push(renamed === undefined ? part : encodeURIComponent(finalName) + (eq === -1 ? '' : part.slice(eq)))
  }
  for (const [name, value] of edit.set) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  return out.length === 0 ? '' : `?${out.join('&')}`
}

function decode (s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}
