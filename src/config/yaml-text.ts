import { LineCounter, parseDocument, type Document } from 'yaml'

export interface ParsedText {
  readonly doc: Document
  readonly lines: LineCounter
  /** the document as plain JS (null when empty) */
  readonly raw: unknown
  /** syntax errors with their offset in the text */
  readonly errors: readonly { readonly message: string; readonly offset: number }[]
  readonly warnings: readonly { readonly message: string; readonly offset: number }[]
}

/**
 * Parse YAML, or JSON (valid YAML once tabs, which JSON allows as indentation, are
 * spaces: same offsets, since a JSON string never holds a raw tab).
 */
export function parseRulesText (text: string): ParsedText {
  const source = isJson(text) ? text.replace(/\t/g, ' ') : text
  const lines = new LineCounter()
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' })
  const at = (e: { message: string; pos: [number, number] }): { message: string; offset: number } =>
    ({ message: e.message.split('\n')[0]!, offset: e.pos[0] })
  const errors = doc.errors.map(at)
  let raw: unknown
  if (errors.length === 0) {
    try {
      raw = doc.toJS({ maxAliasCount: 100 })
    } catch (err) {
      errors.push({ message: (err as Error).message, offset: 0 })
    }
  }
  return {
    doc,
    lines,
    raw,
    errors,
    warnings: doc.warnings.map(at)
  }
}

function isJson (text: string): boolean {
  if (!text.includes('\t') || !/^\s*[{[]/.test(text)) return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
