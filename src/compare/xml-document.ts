/**
 * XML <-> JSON, the one mapping shared by the body comparison and the
 * `format: xml|json` response transform. readXml(writeXml(x)) gives x back
 * for JSON of the shape readXml produces.
 *
 * Reading:
 * - the document is an object with one key, the document element:
 *   `<order><id>7</id></order>` -> `{"order":{"id":7}}`;
 * - an attribute is the key `@name`; an element's own text, when it also has
 *   attributes or child elements, is the key `#text`;
 * - an element that occurs more than once under its parent is an array (in
 *   document order); once, it is a plain value, unless its path is listed in
 *   `arrays` (`$.orders.order`: element names from the document element down;
 *   an index step such as `[0]` is skipped, positions play no part);
 * - text and attribute values are trimmed; `true`/`false` become booleans,
 *   decimal numbers become numbers (no hex, no leading zeros: `007` stays a
 *   string, nor integers a double cannot hold exactly); an empty element is "";
 * - names are kept as written, namespace prefix included (`soap:Envelope`),
 *   and `xmlns` declarations are ordinary attributes (`@xmlns:soap`);
 * - comments, processing instructions and the XML declaration are dropped,
 *   CDATA is text.
 *
 * Safety: only the five XML entities (lt, gt, amp, quot, apos) and character
 * references are expanded. A DOCTYPE that declares entities is refused; one
 * without (a DTD reference, say) is skipped, and nothing is ever fetched.
 * Elements nested deeper than MAX_XML_DEPTH are refused.
 *
 * Writing is the reverse: a value that is not an object with exactly one key
 * holding a non-array is wrapped in `<response>`; a JSON array is repeated
 * elements named after its key; an array with no key of its own (the whole
 * document, an array in an array) is `<item>` elements inside its element;
 * null is an empty element (so it reads back as ""). Keys that are not XML
 * names, and objects or arrays under `@name` or `#text`, are refused.
 */
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser'
import { parseJsonPath } from '../config/json-path.js'
import type { JsonValue } from '../config/types.js'

/** Deepest element nesting read or written (the document element is depth 1). */
export const MAX_XML_DEPTH = 200

export class XmlDocumentError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'XmlDocumentError'
  }
}

type JsonObject = { [key: string]: JsonValue }

const BUILT_IN: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** A character XML 1.0 allows in a document. */
function legalChar (cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
}

const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

/** Stateless: the built-ins and character references, anything else refused. */
const entities: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: (declared) => {
    const names = Object.keys(declared)
    if (names.length > 0) throw new XmlDocumentError(`the DOCTYPE declares entities (${names.slice(0, 3).join(', ')}); entity declarations are refused`)
  },
  reset: () => {},
  setXmlVersion: () => {},
  decode: (text) => text.includes('&') ? text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[^\s&;]+);/g, (_, ref: string) => {
    if (ref[0] !== '#') {
      const c = BUILT_IN[ref]
      if (c === undefined) throw new XmlDocumentError(`entity &${ref}; is not one of the five XML entities; it is not expanded`)
      return c
    }
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
    if (!legalChar(cp)) throw new XmlDocumentError(`character reference &${ref}; is not an XML character`)
    return String.fromCodePoint(cp)
  }) : text
}

/**
 * Element names get this prefix while parsing, so that names such as
 * `constructor` reach us unchanged (the parser refuses or renames them); it is
 * not an XML name character, so it cannot clash.
 */
const MARK = '~'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  processEntities: true,
  entityDecoder: entities,
  // idempotent: the parser applies it twice to a self-closing tag
  transformTagName: (name) => name.startsWith(MARK) ? name : MARK + name,
  // a backstop only: the walk below counts depth exactly
  maxNestedTags: MAX_XML_DEPTH + 1
})

/** Read an XML document as JSON (the mapping above). Throws XmlDocumentError when the text is not well-formed XML. */
export function readXml (text: string, opts: { arrays?: readonly string[] } = {}): JsonValue {
  const illegal = ILLEGAL_CHARS.exec(text)
  if (illegal !== null) throw new XmlDocumentError(`not well-formed XML: character U+${illegal[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${illegal.index} is not allowed`)
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    const { msg, line, col } = valid.err
    throw new XmlDocumentError(`not well-formed XML: ${msg} (line ${line}${col === undefined ? '' : `, column ${col}`})`)
  }
  let parsed: unknown
  try {
    parsed = parser.parse(text)
  } catch (err) {
    if (err instanceof XmlDocumentError) throw err
    const why = err instanceof Error ? err.message : String(err)
    throw new XmlDocumentError(why === 'Maximum nested tags exceeded' ? `elements nested deeper than ${MAX_XML_DEPTH}` : `not readable XML: ${why}`)
  }
  const top = Object.keys(parsed as object)
  if (top.length === 0) throw new XmlDocumentError('not well-formed XML: no document element')
  const rootKey = top[0]!
  const rootValue = (parsed as Record<string, unknown>)[rootKey]
  if (top.length > 1 || Array.isArray(rootValue)) throw new XmlDocumentError('not well-formed XML: more than one document element')
  const arrays = arrayPaths(opts.arrays)
  const name = rootKey.slice(MARK.length)
  const value = element(rootValue, 1, name, arrays)
  return withKey({}, name, arrays !== null && arrays.has(name) ? [value] : value)
}

/** The `arrays` paths as element-name paths joined by NUL (no XML name holds one). */
function arrayPaths (paths: readonly string[] | undefined): Set<string> | null {
  if (paths === undefined || paths.length === 0) return null
  const out = new Set<string>()
  for (const source of paths) {
    const names: string[] = []
    for (const step of parseJsonPath(source).steps) {
      if (step.t === 'key') names.push(step.name)
      else if (step.t !== 'index') throw new Error(`arrays path ${JSON.stringify(source)}: wildcards and .. name no single element`)
    }
    if (names.length > 0) out.add(names.join('\0'))
  }
  return out
}

/** One parsed element (string, or object of @attributes, #text and ~children) as JSON. */
function element (raw: unknown, depth: number, path: string, arrays: Set<string> | null): JsonValue {
  if (depth > MAX_XML_DEPTH) throw new XmlDocumentError(`elements nested deeper than ${MAX_XML_DEPTH}`)
  if (typeof raw !== 'object' || raw === null) return scalar(raw)
  const src = raw as Record<string, unknown>
  const out: JsonObject = {}
  const keys = Object.keys(src)
  for (const k of keys) if (k[0] === '@') out[k] = scalar(src[k])
  if (Object.hasOwn(src, '#text')) {
    const t = scalar(src['#text'])
    if (t !== '') out['#text'] = t
  }
  for (const k of keys) {
    if (k[0] !== MARK) continue
    const name = k.slice(MARK.length)
    const childPath = arrays === null ? '' : `${path}\0${name}`
    const v = src[k]
    const value = Array.isArray(v)
      ? v.map((e: unknown) => element(e, depth + 1, childPath, arrays))
      : element(v, depth + 1, childPath, arrays)
    withKey(out, name, !Array.isArray(value) && arrays !== null && arrays.has(childPath) ? [value] : value)
  }
  return out
}

/** Set a key as an own property, `__proto__` included. */
function withKey (obj: JsonObject, key: string, value: JsonValue): JsonObject {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
  return obj
}

const DECIMAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/
const INTEGER = /^-?[0-9]+$/

function scalar (raw: unknown): JsonValue {
  const t = String(raw ?? '').trim()
  if (t === 'true') return true
  if (t === 'false') return false
  if (DECIMAL.test(t)) {
    const n = Number(t)
    // an integer is a number only if it reads back digit for digit (no precision lost, no -0)
    if (Number.isFinite(n) && (!INTEGER.test(t) || String(n) === t)) return n
  }
  return t
}

// XML 1.0 (5th edition) Name, without surrogate pairs spelled out (the u flag covers the astral planes)
const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}'
// eslint-disable-next-line no-misleading-character-class -- the spec's ranges: combining marks and ZWJ/ZWNJ are meant
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*$`, 'u')

function isXmlName (s: string): boolean {
  return XML_NAME.test(s)
}

/** Write JSON as an XML document (with `<?xml version="1.0" encoding="UTF-8"?>`). Throws XmlDocumentError for JSON the mapping cannot hold. */
export function writeXml (doc: JsonValue): string {
  let root = 'response'
  let value: JsonValue = Array.isArray(doc) ? { item: doc } : doc
  if (isObject(doc)) {
    const keys = Object.keys(doc)
    const only = keys.length === 1 ? doc[keys[0]!] : undefined
    if (only !== undefined && isXmlName(keys[0]!) && !Array.isArray(only)) {
      root = keys[0]!
      value = only
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeElement(root, value, 1)}`
}

function isObject (v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function writeElement (name: string, value: JsonValue, depth: number): string {
  if (depth > MAX_XML_DEPTH) throw new XmlDocumentError(`JSON nested deeper than ${MAX_XML_DEPTH} elements cannot be written as XML`)
  if (!isXmlName(name)) throw new XmlDocumentError(`key ${JSON.stringify(name)} is not an XML element name`)
  if (Array.isArray(value)) return writeElement(name, { item: value }, depth)
  if (!isObject(value)) {
    const text = scalarText(value, name)
    return text === '' ? `<${name}/>` : `<${name}>${escape(text, false)}</${name}>`
  }
  let attrs = ''
  let text = ''
  let children = ''
  for (const [k, v] of Object.entries(value)) {
    if (k[0] === '@') {
      const attr = k.slice(1)
      if (!isXmlName(attr)) throw new XmlDocumentError(`key ${JSON.stringify(k)} is not an XML attribute name`)
      attrs += ` ${attr}="${escape(scalarText(v, k), true)}"`
    } else if (k === '#text') {
      text = escape(scalarText(v, k), false)
    } else if (Array.isArray(v)) {
      for (const e of v) children += writeElement(k, e, depth + 1)
    } else {
      children += writeElement(k, v, depth + 1)
    }
  }
  return text === '' && children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${text}${children}</${name}>`
}

function scalarText (v: JsonValue, key: string): string {
  if (v === null) return ''
  if (typeof v === 'object') throw new XmlDocumentError(`${JSON.stringify(key)} holds ${Array.isArray(v) ? 'an array' : 'an object'}: XML text and attributes are plain values`)
  const s = String(v)
  const bad = ILLEGAL_CHARS.exec(s)
  if (bad !== null) throw new XmlDocumentError(`${JSON.stringify(key)} holds U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which XML cannot carry`)
  return s
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }

/** Escape markup; in attributes also quotes and the whitespace that parsers would fold. */
function escape (s: string, attribute: boolean): string {
  return s.replace(attribute ? /[&<>"\t\n\r]/g : /[&<>\r]/g, (c) => TEXT_ESCAPES[c]!)
}
