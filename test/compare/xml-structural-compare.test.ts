import { describe, expect, it } from 'vitest'
import { bodyKind } from '../../src/compare/body-kind.js'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, raw } from './helpers.js'

const xmlH = { 'content-type': 'application/xml; charset=utf-8' }
const textXmlH = { 'content-type': 'text/xml' }

const PRIMARY = `<?xml version="1.0" encoding="UTF-8"?>
<order id="7" currency="EUR">
  <total currency="EUR">12.50</total>
  <lines>
    <line sku="a" qty="2"/>
    <line sku="b" qty="1"/>
  </lines>
  <generatedAt>2026-01-01T00:00:00Z</generatedAt>
</order>
`
// same document: attribute order, quoting, whitespace, <x></x> for <x/>, no declaration, CDATA and entities
const SAME = `<order currency='EUR' id='7'><total   currency="EUR"><![CDATA[12.5]]></total><lines><line qty="2" sku="&#97;"></line><line qty="1" sku="b"></line></lines><generatedAt>
      2026-01-01T00:00:00Z
    </generatedAt></order>`

describe('body kind xml', () => {
  it('application/xml, text/xml and any +xml are xml', () => {
    expect(bodyKind('application/xml')).toBe('xml')
    expect(bodyKind('Text/XML; charset=utf-8')).toBe('xml')
    expect(bodyKind('application/soap+xml')).toBe('xml')
    expect(bodyKind('application/atom+xml')).toBe('xml')
    expect(bodyKind('text/html')).toBe('text')
  })
})

describe('XML compared structurally', () => {
  it('the same document written differently is a match', () => {
    expect(compareExchange(raw(PRIMARY, xmlH), raw(SAME, textXmlH), cfg())).toEqual({ outcome: 'match', differences: [], truncated: false })
  })

  it('a changed value is a changed difference at the path of the JSON mapping', () => {
    const shadow = PRIMARY.replace('12.50', '12.60').replace('sku="b"', 'sku="c"')
    const r = compareExchange(raw(PRIMARY, xmlH), raw(shadow, xmlH), cfg())
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toEqual([
      { kind: 'changed', path: "$.order.total['#text']", primary: 12.5, shadow: 12.6 },
      { kind: 'changed', path: "$.order.lines.line[1]['@sku']", primary: 'b', shadow: 'c' }
    ])
  })

  it('a changed element text and a missing element', () => {
    const p = '<order><id>7</id><status>open</status><note>x</note></order>'
    const s = '<order><id>7</id><status>closed</status></order>'
    expect(compareExchange(raw(p, xmlH), raw(s, xmlH), cfg()).differences).toEqual([
      { kind: 'changed', path: '$.order.status', primary: 'open', shadow: 'closed' },
      { kind: 'removed', path: '$.order.note', primary: 'x' }
    ])
  })

  it('ignore, typeOnly and accept take the mapped paths', () => {
    const shadow = PRIMARY.replace('2026-01-01T00:00:00Z', '2026-02-02T00:00:00Z').replace('12.50', '13')
    expect(compareExchange(raw(PRIMARY, xmlH), raw(shadow, xmlH), cfg({ ignore: ['$.order.generatedAt', "$.order.total['#text']"] })).outcome).toBe('match')
    expect(compareExchange(raw(PRIMARY, xmlH), raw(shadow, xmlH), cfg({ typeOnly: ['$..generatedAt', '$.order.total'] })).outcome).toBe('match')
    const accepted = compareExchange(raw(PRIMARY, xmlH), raw(shadow, xmlH), cfg({ ignore: ['$.order.generatedAt'], accept: [{ path: "$.order.total['#text']", primary: 12.5, shadow: 13 }] }))
    expect(accepted.outcome).toBe('match')
    expect(accepted.differences).toEqual([{ kind: 'changed', path: "$.order.total['#text']", primary: 12.5, shadow: 13, accepted: true }])
  })

  it('an XML body labelled otherwise on one side is still compared by structure', () => {
    expect(compareExchange(raw(PRIMARY, xmlH), raw(SAME, { 'content-type': 'text/plain' }), cfg()).outcome).toBe('match')
    expect(compareExchange(raw(PRIMARY, xmlH), raw(SAME), cfg()).outcome).toBe('match')
  })

  it('XML on one side only is a type difference at $', () => {
    const html = compareExchange(raw(PRIMARY, xmlH), raw('<h1>502 Bad Gateway', { 'content-type': 'text/html' }), cfg())
    expect(html).toEqual({ outcome: 'mismatch', differences: [{ kind: 'type', path: '$', primary: 'xml', shadow: 'text' }], truncated: false })
    const broken = compareExchange(raw('<order><id>7</order>', xmlH), raw(PRIMARY, xmlH), cfg())
    expect(broken.differences).toEqual([{ kind: 'type', path: '$', primary: 'invalid-xml', shadow: 'xml' }])
    const empty = compareExchange(raw(PRIMARY, xmlH), raw(null, xmlH), cfg())
    expect(empty.differences).toEqual([{ kind: 'type', path: '$', primary: 'xml', shadow: 'empty' }])
    // a type difference at $ is ignored or accepted by a path matching $
    expect(compareExchange(raw(PRIMARY, xmlH), raw(null, xmlH), cfg({ ignore: ['$'] })).outcome).toBe('match')
  })

  it('XML against JSON is a type difference at $ (JSON is compared first)', () => {
    const r = compareExchange(raw(PRIMARY, xmlH), raw('{"order":{"id":7}}', { 'content-type': 'application/json' }), cfg())
    expect(r.differences).toEqual([{ kind: 'type', path: '$', primary: 'xml', shadow: 'json' }])
  })

  it('not XML on either side: compared as bytes, named invalid-xml', () => {
    expect(compareExchange(raw('<a>', xmlH), raw('<a>', xmlH), cfg()).outcome).toBe('match')
    const r = compareExchange(raw('<a>', xmlH), raw('<b>', xmlH), cfg())
    expect(r.differences).toEqual([{ kind: 'body', path: '$body', primary: expect.stringMatching(/^invalid-xml, 3 bytes/), shadow: expect.stringMatching(/^invalid-xml, 3 bytes/) }])
  })

  it('a document with entity declarations is not read: it compares as invalid-xml', () => {
    const bomb = '<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>'
    const r = compareExchange(raw(bomb, xmlH), raw('<a>boom</a>', xmlH), cfg())
    expect(r.differences).toEqual([{ kind: 'type', path: '$', primary: 'invalid-xml', shadow: 'xml' }])
  })
})
