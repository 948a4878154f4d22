/**
 * The exact bytes of one route in the rules text, and putting such bytes
 * back: what the audit log keeps of a route before a flip (`routeBefore`)
 * and what `rollback` writes back, so a rollback restores the route byte for
 * byte. The bytes are the route node's range in `routes:`: for a block
 * mapping from its first key to the end of its last line (trailing comment
 * and newline included); for a flow mapping from `{` to `}`. Comment lines
 * after the route, and the `- ` before it, are not part of it. The edits of
 * editRouteNode stay inside that range, so replacing the range of the edited
 * route by the bytes from before gives back the text from before.
 */
import { StranglerError } from '../errors.js'
import { parseRulesText } from '../config/yaml-text.js'
import { findRouteNode } from './find-route-node.js'

function routeRange (text: string, route: string, file: string): readonly [number, number] {
  const parsed = parseRulesText(text)
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!
    const at = parsed.lines.linePos(e.offset)
    throw new StranglerError('RULES_SYNTAX', `${file}:${at.line}:${at.col}: ${e.message}`)
  }
  const node = findRouteNode(parsed.doc, route, file)
  const r = node.range
  if (r == null) throw new StranglerError('RULES_SYNTAX', `${file}: route ${JSON.stringify(route)} has no place in the text`)
  return [r[0], r[1]]
}

/** The exact text of route `route` in `text` (see above). `file` only names the file in errors. */
export function routeText (text: string, route: string, file = 'the rules file'): string {
  const [start, end] = routeRange(text, route, file)
  return text.slice(start, end)
}

/** `text` with route `route`'s bytes replaced by `routeText` (as routeText gave them). */
export function replaceRouteText (text: string, route: string, routeText: string, file = 'the rules file'): string {
  const [start, end] = routeRange(text, route, file)
  return text.slice(0, start) + routeText + text.slice(end)
}
