import { isMap, isScalar, type Document, type YAMLMap } from 'yaml'

/** Where a route sends requests: `serve` (one upstream, or weights by upstream, in the order to write them) and `shadow`. */
export interface RouteRouting {
  readonly serve: string | Readonly<Record<string, number>>
  /** null: no `shadow` key */
  readonly shadow: string | null
}

/**
 * Set a route's `serve` and `shadow` in its node, for use inside
 * editRouteNode: one upstream replaces the scalar in place (its quoting
 * kept); weights are a flow mapping, `{ orders: 10, legacy: 90 }` (a block
 * mapping when the route already wrote its weights as one); a shadow is set
 * in place, or added right after `serve`; a null shadow removes the key.
 * Other keys (`sticky`, `shadowWrites`, `fallback`) are left as they are.
 */
export function setRouteRouting (route: YAMLMap, doc: Document, routing: RouteRouting): void {
  const serve = route.get('serve', true)
  if (typeof routing.serve === 'string') {
    if (isScalar(serve)) serve.value = routing.serve
    else route.set('serve', doc.createNode(routing.serve))
  } else {
    const node = doc.createNode({ ...routing.serve })
    node.flow = !(isMap(serve) && serve.flow !== true && serve.items.length > 0)
    route.set('serve', node)
  }
  const shadow = route.get('shadow', true)
  if (routing.shadow === null) {
    route.delete('shadow')
  } else if (isScalar(shadow)) {
    shadow.value = routing.shadow
  } else if (route.has('shadow')) {
    route.set('shadow', doc.createNode(routing.shadow))
  } else {
    const at = route.items.findIndex((p) => isScalar(p.key) && p.key.value === 'serve')
    route.items.splice(at < 0 ? route.items.length : at + 1, 0, doc.createPair('shadow', routing.shadow))
  }
}
