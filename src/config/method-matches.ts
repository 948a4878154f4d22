/**
 * Whether a route's methods take a request method. HTTP semantics: a route
 * for GET also takes HEAD (RFC 9110 9.3.2: HEAD is GET without the body), so
 * `match.method: GET` needs no HEAD beside it. A route listed earlier for
 * HEAD alone still wins, as any earlier route does.
 */
export function methodMatches (methods: readonly string[] | null, method: string): boolean {
  if (methods === null || methods.includes(method)) return true
  return method === 'HEAD' && methods.includes('GET')
}
