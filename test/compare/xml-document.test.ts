import { describe, expect, it } from 'vitest'
import type { JsonValue } from '../../src/config/types.js'
import { MAX_XML_DEPTH, XmlDocumentError, readXml, writeXml } from '../../src/compare/xml-document.js'

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

function refused (text: string): XmlDocumentError {
  try {
    readXml(text)
  } catch (err) {
    expect(err).toBeInstanceOf(XmlDocumentError)
    return err as XmlDocumentError
  }
  throw new Error(`read without error: ${text}`)
}

describe('readXml', () => {
  it('the document element is the single top-level key', () => {
    expect(readXml('<order><id>7</id></order>')).toEqual({ order: { id: 7 } })
    expect(readXml(`${DECL}<!-- c --><?pi x?><order/>`)).toEqual({ order: '' })
  })

  it('attributes are @keys; text beside attributes or children is #text', () => {
    expect(readXml('<order id="7" currency="EUR"><total currency="EUR">12.50</total><note lang="en"/></order>')).toEqual({
      order: { '@id': 7, '@currency': 'EUR', total: { '@currency': 'EUR', '#text': 12.5 }, note: { '@lang': 'en' } }
    })
    expect(readXml('<p>a<b>x</b>c</p>')).toEqual({ p: { '#text': 'ac', b: 'x' } })
  })

  it('repeated siblings are arrays; one element is a plain value unless its path is in arrays', () => {
    const two = '<orders><order><id>1</id></order><order><id>2</id></order></orders>'
    expect(readXml(two)).toEqual({ orders: { order: [{ id: 1 }, { id: 2 }] } })
    const one = '<orders><order><id>1</id><line><sku>a</sku></line></order></orders>'
    expect(readXml(one)).toEqual({ orders: { order: { id: 1, line: { sku: 'a' } } } })
    expect(readXml(one, { arrays: ['$.orders.order'] })).toEqual({ orders: { order: [{ id: 1, line: { sku: 'a' } }] } })
    // deeper paths, quoted keys, and index steps (skipped: position plays no part)
    expect(readXml(one, { arrays: ['$.orders.order[0].line', "$['orders']"] })).toEqual({ orders: [{ order: { id: 1, line: [{ sku: 'a' }] } }] })
    // an attribute or a path that is not there changes nothing
    expect(readXml('<a x="1"><b>2</b></a>', { arrays: ['$.a.x', '$.a.c'] })).toEqual({ a: { '@x': 1, b: 2 } })
    expect(() => readXml(one, { arrays: ['$.orders[*].order'] })).toThrow(/wildcards/)
  })

  it('keeps namespace prefixes and xmlns declarations as written', () => {
    const soap = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetPrice xmlns:m="urn:shop"><m:Item>Apples</m:Item></m:GetPrice></soap:Body></soap:Envelope>'
    expect(readXml(soap)).toEqual({
      'soap:Envelope': {
        '@xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
        'soap:Body': { 'm:GetPrice': { '@xmlns:m': 'urn:shop', 'm:Item': 'Apples' } }
      }
    })
  })

  it('reads numbers and booleans, but not hex, leading zeros or integers a double cannot hold; trims; empty is ""', () => {
    const doc = readXml(`<v code="007" n=" 42 ">
      <a>7</a><b>-1.50</b><c>1e3</c><d>007</d><e>0x1F</e><f>true</f><g>False</g>
      <h>12345678901234567890</h><i>  spaced text  </i><j/><k></k><l>   </l><m>0</m><n><![CDATA[ <raw> ]]></n>
    </v>`)
    expect(doc).toEqual({
      v: {
        '@code': '007',
        '@n': 42,
        a: 7,
        b: -1.5,
        c: 1000,
        d: '007',
        e: '0x1F',
        f: true,
        g: 'False',
        h: '12345678901234567890',
        i: 'spaced text',
        j: '',
        k: '',
        l: '',
        m: 0,
        n: '<raw>'
      }
    })
  })

  it('expands the five XML entities and character references, once', () => {
    expect(readXml('<a t="&quot;x&apos;">&lt;b&gt; &amp; &#65;&#x20AC; &amp;amp;</a>')).toEqual({ a: { '@t': '"x\'', '#text': '<b> & A€ &amp;' } })
  })

  it('element names that are Object.prototype members are kept as plain keys', () => {
    const doc = readXml('<a><constructor>1</constructor><toString>2</toString><__proto__>3</__proto__></a>') as { a: Record<string, JsonValue> }
    expect(Object.keys(doc.a)).toEqual(['constructor', 'toString', '__proto__'])
    expect(doc.a.__proto__).toBe(3)
    expect(Object.getPrototypeOf(doc.a)).toBe(Object.prototype)
  })

  it('malformed XML is an XmlDocumentError with a clear message', () => {
    expect(refused('<a><b>1</a>').message).toMatch(/^not well-formed XML: Expected closing tag 'b'.*line 1/)
    expect(refused('<a>').message).toMatch(/not well-formed XML: Unclosed tag 'a'/)
    expect(refused('').message).toMatch(/not well-formed XML/)
    expect(refused('{"a":1}').message).toMatch(/not well-formed XML/)
    expect(refused('<a>1</a>trailing').message).toMatch(/not well-formed XML/)
    expect(refused('<a/><b/>').message).toBe('not well-formed XML: more than one document element')
    expect(refused('<a/><a/>').message).toBe('not well-formed XML: more than one document element')
    expect(refused('<a x="1" x="2"/>').message).toMatch(/repeated/)
    expect(refused('<a>x & y</a>').message).toMatch(/not well-formed XML/)
    expect(refused('<a>\u0001</a>').message).toMatch(/U\+0001/)
  })

  it('refuses entities other than the built-ins, and DOCTYPE entity declarations', () => {
    expect(refused('<a>&nbsp;</a>').message).toMatch(/&nbsp; is not one of the five XML entities/)
    expect(refused('<!DOCTYPE a [<!ENTITY name "expanded">]><a>&name;</a>').message).toMatch(/DOCTYPE declares entities \(name\)/)
    // declared and never used: still refused
    expect(refused('<!DOCTYPE a [<!ENTITY name "expanded">]><a>1</a>').message).toMatch(/entity declarations are refused/)
    // a billion laughs stops at the first declaration
    const laughs = '<!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>'
    expect(refused(laughs)).toBeInstanceOf(XmlDocumentError)
    // external entities are never fetched
    refused('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    refused('<!DOCTYPE a [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><a>&x;</a>')
    expect(refused('<a>&#0;</a>').message).toMatch(/not an XML character/)
    expect(refused('<a>&#x110000;</a>').message).toMatch(/not an XML character/)
  })

  it('skips a DOCTYPE without entity declarations (nothing is fetched)', () => {
    expect(readXml('<!DOCTYPE a SYSTEM "http://127.0.0.1:1/a.dtd"><a>1</a>')).toEqual({ a: 1 })
    expect(readXml('<!DOCTYPE a [<!ELEMENT a (#PCDATA)>]><a>1</a>')).toEqual({ a: 1 })
  })

  it(`bounds nesting at ${MAX_XML_DEPTH} elements`, () => {
    const nest = (n: number): string => '<x>'.repeat(n) + '</x>'.repeat(n)
    expect(() => readXml(nest(MAX_XML_DEPTH))).not.toThrow()
    expect(refused(nest(MAX_XML_DEPTH + 1)).message).toBe(`elements nested deeper than ${MAX_XML_DEPTH}`)
    expect(refused(nest(100_000)).message).toBe(`elements nested deeper than ${MAX_XML_DEPTH}`)
  })
})

describe('writeXml', () => {
  it('writes the single key as the document element, with the declaration', () => {
    expect(writeXml({ order: { id: 7 } })).toBe(`${DECL}<order><id>7</id></order>`)
  })

  it('writes attributes, #text, repeated elements, null and escapes', () => {
    expect(writeXml({ order: { '@id': 7, note: null, total: { '@currency': 'EUR', '#text': 12.5 }, line: [{ sku: 'a' }, { sku: 'b' }], t: 'a<b & "c">' } }))
      .toBe(`${DECL}<order id="7"><note/><total currency="EUR">12.5</total><line><sku>a</sku></line><line><sku>b</sku></line><t>a&lt;b &amp; "c"&gt;</t></order>`)
    expect(writeXml({ a: { '@v': 'x"y\nz' } })).toBe(`${DECL}<a v="x&quot;y&#10;z"/>`)
  })

  it('wraps anything but an object of one key (holding no array) in <response>; keyless arrays are <item>s', () => {
    expect(writeXml({ a: 1, b: 2 })).toBe(`${DECL}<response><a>1</a><b>2</b></response>`)
    expect(writeXml({ a: [1, 2] })).toBe(`${DECL}<response><a>1</a><a>2</a></response>`)
    expect(writeXml('x')).toBe(`${DECL}<response>x</response>`)
    expect(writeXml(null)).toBe(`${DECL}<response/>`)
    expect(writeXml({ '@id': 1 })).toBe(`${DECL}<response id="1"/>`)
    expect(writeXml([1, [2, 3]])).toBe(`${DECL}<response><item>1</item><item><item>2</item><item>3</item></item></response>`)
  })

  it('refuses JSON the mapping cannot hold', () => {
    expect(() => writeXml({ a: { 'my key': 1 } })).toThrow(XmlDocumentError)
    expect(() => writeXml({ a: { '2024': 1 } })).toThrow(/not an XML element name/)
    expect(() => writeXml({ a: { '@x': { y: 1 } } })).toThrow(/"@x" holds an object/)
    expect(() => writeXml({ a: { '#text': [1] } })).toThrow(/"#text" holds an array/)
    expect(() => writeXml({ a: 'bell\u0007' })).toThrow(/U\+0007/)
    let deep: JsonValue = 1
    for (let i = 0; i < MAX_XML_DEPTH; i++) deep = { x: deep }
    expect(readXml(writeXml(deep))).toEqual(deep)
    expect(() => writeXml({ x: deep })).toThrow(/deeper than/)
  })
})

describe('round trip', () => {
  it('readXml(writeXml(x)) equals x for JSON of the mapped shape', () => {
    const docs: JsonValue[] = [
      { order: { id: 7 } },
      {
        order: {
          '@currency': 'EUR',
          '@xmlns:m': 'urn:shop',
          id: 7,
          code: '007',
          paid: true,
          refunded: false,
          note: '',
          total: { '@currency': 'EUR', '#text': 12.5 },
          items: { item: [{ '@n': 1, sku: 'a<&>"\'', qty: 2 }, { '@n': 2, sku: 'b', qty: -0.25 }] },
          'm:tag': 'multi\nline',
          big: 1e21,
          notes: { p: ['x', '', 'y'] }
        }
      },
      { 'soap:Envelope': { '@xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/', 'soap:Body': { ok: true } } },
      { response: { a: 1, b: [1, 2] } }
    ]
    for (const doc of docs) expect(readXml(writeXml(doc))).toEqual(doc)
  })

  it('one-element arrays come back as arrays when their path is in arrays', () => {
    const doc = { orders: { order: [{ id: 1 }] } }
    expect(readXml(writeXml(doc))).toEqual({ orders: { order: { id: 1 } } })
    expect(readXml(writeXml(doc), { arrays: ['$.orders.order'] })).toEqual(doc)
  })
})
