import { isMap, isSeq, type Document, type YAMLMap } from 'yaml'
import { StranglerError } from '../errors.js'
import { closeNames } from './close-names.js'

/**
 * The node of the route named `name` under `routes:` of a parsed rules
 * document. A name it does not have is PROMOTE_UNKNOWN_ROUTE, naming the
 * route and `file`, with the close names (else the first routes) so a typo
 * is one glance away.
 */
export function findRouteNode (doc: Document, name: string, file: string): YAMLMap {
  const routes = doc.get('routes', true)
  const items = isSeq(routes) ? routes.items.filter(isMap) : []
  const found = items.find((r) => r.get('name') === name)
  if (found !== undefined) return found
  const names = items.map((r) => r.get('name')).filter((n): n is string => typeof n === 'string')
  const close = closeNames(name, names)
  const hint = close.length > 0
    ? `; close names: ${close.join(', ')}`
    : names.length === 0 ? '; it has no routes' : `; its routes: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`
  throw new StranglerError('PROMOTE_UNKNOWN_ROUTE', `no route ${JSON.stringify(name)} in ${file}${hint}`)
}
