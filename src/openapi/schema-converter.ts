import type { Ajv2020 } from 'ajv/dist/2020.js'
import type { SpecVersion } from './load-spec.js'
import { escapePointer } from './json-pointer.js'

type Json = Record<string, unknown>

/** Where subschemas sit; everything else is copied as a value. */
const SCHEMA_KEYS = new Set(['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'items', 'additionalItems', 'contentSchema'])
const SCHEMA_ARRAY_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'dependentSchemas'])
/**
 * Dropped: annotations that cannot fail a response (and may hold odd values),
 * OpenAPI-only keywords handled here, and $ref machinery: the document is
 * already dereferenced, a leftover `$ref` or `$id` would only confuse ajv.
 */
const DROP = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'nullable', '$schema', '$id', '$anchor', '$dynamicAnchor', '$dynamicRef', '$recursiveRef', '$recursiveAnchor', '$ref', '$defs', 'definitions', '$comment'])

/**
 * Turns the (dereferenced, possibly cyclic) schemas of a loaded spec into
 * JSON Schema 2020-12 for one Ajv instance:
 * - component schemas (components.schemas, Swagger definitions) and any
 *   schema found inside its own cycle are added to ajv once, under an id, and
 *   referenced with $ref, so each compiles once however often it is used;
 * - OpenAPI 3.0 / Swagger 2.0 dialect: `nullable` (and `x-nullable`) become a
 *   'null' type (or an anyOf with null around allOf/oneOf/anyOf), boolean
 *   `exclusiveMinimum`/`exclusiveMaximum` the numeric form, `type: file` is
 *   dropped, a tuple `items` array becomes `prefixItems`;
 * - every converted node remembers its JSON pointer in the spec, so a
 *   violation names the spec location (#/components/schemas/Order/properties/price).
 */
export class SchemaConverter {
  private readonly ids = new Map<object, string>()
  private readonly onStack = new Set<object>()
  private readonly origin = new WeakMap<object, string>()
  private next = 0

  constructor (
    private readonly ajv: Ajv2020,
    private readonly version: SpecVersion,
    /** component schema object -> its pointer (#/components/schemas/Order) */
    private readonly components: ReadonlyMap<object, string>
  ) {}

  /** A schema to compile for the spec schema found at `pointer`. */
  convert (schema: unknown, pointer: string): object {
    const out = this.node(schema, pointer)
    return typeof out === 'boolean' ? (out ? {} : { not: {} }) : out
  }

  /** The spec pointer of a converted schema node (ajv's `parentSchema` of an error). */
  pointerOf (node: unknown): string | undefined {
    return node !== null && typeof node === 'object' ? this.origin.get(node) : undefined
  }

  private node (s: unknown, pointer: string): Json | boolean {
    if (typeof s === 'boolean') return s
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return {}
    const known = this.ids.get(s)
    if (known !== undefined) return this.ref(known, pointer)
    const component = this.components.get(s)
    if (component !== undefined) return this.ref(this.hoist(s, component), pointer)
    if (this.onStack.has(s)) {
      // a cycle through inline schemas (e.g. from another file): register it once done
      const id = this.newId()
      this.ids.set(s, id)
      return this.ref(id, pointer)
    }
    this.onStack.add(s)
    const out = this.body(s as Json, pointer)
    this.onStack.delete(s)
    const late = this.ids.get(s)
    if (late === undefined) return out
    out.$id = late
    this.ajv.addSchema(out)
    return this.ref(late, pointer)
  }

  private hoist (s: object, pointer: string): string {
    const id = this.newId()
    this.ids.set(s, id)
    const out = this.body(s as Json, pointer)
    out.$id = id
    this.ajv.addSchema(out)
    return id
  }

  private ref (id: string, pointer: string): Json {
    const r: Json = { $ref: id }
    this.origin.set(r, pointer)
    return r
  }

  private newId (): string {
    return `urn:strangler:schema:${++this.next}`
  }

  private body (s: Json, pointer: string): Json {
    const out: Json = {}
    this.origin.set(out, pointer)
    for (const [k, v] of Object.entries(s)) {
      if (DROP.has(k) || k.startsWith('x-')) continue
      const p = `${pointer}/${escapePointer(k)}`
      if (k === 'items' && Array.isArray(v)) {
        out.prefixItems = v.map((x, i) => this.node(x, `${p}/${i}`))
        if ('additionalItems' in s) out.items = this.node(s.additionalItems, `${pointer}/additionalItems`)
      } else if (k === 'additionalItems') {
        if (!Array.isArray(s.items)) continue // meaningless without a tuple
      } else if (SCHEMA_KEYS.has(k)) {
        out[k] = this.node(v, p)
      } else if (SCHEMA_ARRAY_KEYS.has(k)) {
        out[k] = Array.isArray(v) ? v.map((x, i) => this.node(x, `${p}/${i}`)) : []
      } else if (SCHEMA_MAP_KEYS.has(k)) {
        const map: Json = {}
        if (v !== null && typeof v === 'object') {
          for (const [name, sub] of Object.entries(v)) map[name] = this.node(sub, `${p}/${escapePointer(name)}`)
        }
        out[k] = map
      } else if (k === 'required') {
        if (Array.isArray(v)) out[k] = v
      } else {
        out[k] = v
      }
    }
    if (this.version === 'openapi3.1') return out
    return this.legacyDialect(s, out, pointer)
  }

  /** OpenAPI 3.0 and Swagger 2.0 schema objects: a draft-04 dialect with extras. */
  private legacyDialect (s: Json, out: Json, pointer: string): Json {
    for (const [ex, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof s[ex] === 'boolean') {
        delete out[ex]
        if (s[ex] === true && typeof s[bound] === 'number') {
          out[ex] = s[bound]
          delete out[bound]
        }
      }
    }
    if (out.type === 'file') delete out.type
    if (s.nullable === true || s['x-nullable'] === true) {
      if ('allOf' in out || 'anyOf' in out || 'oneOf' in out || 'not' in out) {
        const isNull: Json = { type: 'null' }
        const wrapper: Json = { anyOf: [isNull, out] }
        this.origin.set(isNull, `${pointer}/nullable`)
        this.origin.set(wrapper, pointer)
        return wrapper
      }
      if (typeof out.type === 'string') out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    }
    return out
  }
}
