/**
 * One route of a rules file edited in place, for promote, rollback and the
 * rollout controller. The text is parsed with the `yaml` Document API, the
 * route found by name, and `edit` changes its node; the changes are then
 * spliced into the original text (promote/splice-map-changes.ts), so the
 * other routes, every comment, key order, blank line and quoting style keep
 * their bytes, and the route's own untouched keys too.
 *
 * A JSON rules file stays JSON: changed values are written as one-line JSON
 * where they stand (`"serve": {"orders": 10, "legacy": 90}`), a new key as
 * `"shadow": "orders"` after its neighbour, on a line of its own at its
 * indentation when the object has one key a line. Everything else keeps its
 * bytes.
 *
 * The result is parsed again and must hold exactly the edited document. When
 * a change cannot be spliced (an unusual layout: a key before a route's
 * first one, a multi-line scalar), the document is laid out afresh instead:
 * comments and key order are kept by the Document API, spacing may not be
 * (JSON: written with the file's indentation).
 */
import { isJsonText } from '../config/json-text.js'
import { isDeepStrictEqual } from 'node:util'
import type { Document, YAMLMap } from 'yaml'
import { StranglerError } from '../errors.js'
import { parseRulesText } from '../config/yaml-text.js'
import { findRouteNode } from './find-route-node.js'
import { snapshotMap, spliceMapChanges } from './splice-map-changes.js'


/** Whether `out` parses (as JSON, in JSON mode) to exactly `expected`. */
function holds (out: string, expected: unknown, json: boolean): boolean {
  if (json) {
    try {
      JSON.parse(out)
    } catch {
      return false
    }
  }
  const p = parseRulesText(out)
  return p.errors.length === 0 && isDeepStrictEqual(p.raw, expected)
}

/**
 * The rules `text` with route `route` changed by `edit`, which gets the
 * route's mapping node and the document (to create nodes with). `file` names
 * the file in errors. Throws RULES_SYNTAX when the text does not parse,
 * PROMOTE_UNKNOWN_ROUTE (with close names) when no route has that name.
 * Does not validate the result as rules: commitRulesEdit does, before writing.
 */
export function editRouteNode (text: string, file: string, route: string, edit: (route: YAMLMap, doc: Document) => void): string {
  const parsed = parseRulesText(text)
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!
    const at = parsed.lines.linePos(e.offset)
    throw new StranglerError('RULES_SYNTAX', `${file}:${at.line}:${at.col}: ${e.message}`)
  }
  const doc = parsed.doc
  const node = findRouteNode(doc, route, file)
  const json = isJsonText(text)
  const snapshot = snapshotMap(text, node, doc)
  edit(node, doc)
  const expected = doc.toJS({ maxAliasCount: 100 }) as unknown
  const spliced = spliceMapChanges(text, node, snapshot, doc, json)
  if (spliced !== null && holds(spliced, expected, json)) return spliced
  const relaid = json
    ? JSON.stringify(expected, null, /^\{\s*\n([ \t]+)/.exec(text)?.[1] ?? 2) + '\n'
    : doc.toString({ lineWidth: 0 })
  if (holds(relaid, expected, json)) return relaid
  throw new StranglerError('RULES_EDIT_INVALID', `route ${JSON.stringify(route)} of ${file} could not be written back as edited (an alias or an unusual layout?); edit it by hand`)
}
