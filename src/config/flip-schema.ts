/**
 * The keys of DESIGN.md "Flipping routes", as zod schemas: `gates` (top level
 * and per route), a route's `rollout`, and the audience keys of `match`
 * (`headers`, `query`, `host`). Values come out normalized: durations in ms,
 * header names lower case, host patterns lower case.
 */
import { z } from 'zod'
import { parseDuration } from './duration.js'
import { anyValue, convert, either, HTTP_TOKEN, show, strict } from './zod-helpers.js'
import { isMapping } from './finding.js'

const fraction = z.number().min(0).max(1)

/** A duration above 0, in ms; `example` goes in the message for a value that is no duration, `what` in the one for 0. */
function positiveDuration (example: string, what: string) {
  return anyValue('RULES_BAD_DURATION', v => {
    if (typeof v !== 'string') throw new Error(`expected a duration such as ${example}, got ${show(v)}`)
    const ms = parseDuration(v)
    if (ms <= 0) throw new Error(`${what} must be more than 0`)
    return ms
  })
}
const window = positiveDuration('24h or 30m', 'a window')

/** Gates as written; every key optional (a route overrides only what it names). */
export const gatesSchema = strict({
  minPairs: z.number().int().min(1).optional(),
  parity: fraction.optional(),
  maxShadowErrors: fraction.optional(),
  window: window.optional()
})

export const DEFAULT_GATES = Object.freeze({ minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, windowMs: 24 * 3_600_000 })

const step = anyValue('RULES_INVALID_VALUE', v => {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100) return v
  throw new Error(`a rollout step is a weight percentage above 0 and at most 100, got ${show(v)}`)
})
const every = positiveDuration('30m', 'every')

/** `rollout:` of a route: raise `to`'s weight through `steps` (percent), one step every `every`, while gates hold. */
export const rolloutSchema = strict({
  to: z.string().min(1),
  steps: z.array(step).min(1).superRefine((steps, ctx) => {
    steps.forEach((s, i) => {
      if (i > 0 && s <= steps[i - 1]!) ctx.addIssue({ code: 'custom', message: `rollout steps go up: ${s} follows ${steps[i - 1]}`, path: [i], params: { rulesCode: 'RULES_INVALID_VALUE' }, input: s })
    })
  }),
  every: every.default(30 * 60_000),
  rollbackOn: strict({
    /** error rate (5xx and proxy errors ÷ served) of `to` above which the rollout rolls back */
    errorRate: fraction.optional(),
    /** p99 of `to` above this multiple of the other side's p99 rolls back */
    p99: z.number().positive().optional()
  }).prefault({}),
  /** written by the controller when it rolled back: why; the rollout does nothing while it is set */
  halted: z.string().min(1).optional()
})

/** `match.headers` value: an exact value, or `{ present: true|false }`. */
const headerCondition = either(
  isMapping,
  strict({ present: z.boolean() }).transform(c => ({ present: c.present })),
  anyValue('RULES_INVALID_VALUE', v => {
    if (typeof v === 'string') return { equals: v }
    if (typeof v === 'number' && Number.isFinite(v)) return { equals: String(v) }
    throw new Error(`a header condition is an exact value or { present: true }, got ${show(v)}`)
  })
)

/**
 * `match.headers` or `match.query`: name -> condition. `nameOf` gives the
 * name as matched (header names lower case), or throws why the key is not
 * one; two keys for one name are refused (`twice` says why).
 */
function conditions (nameOf: (key: string) => string, twice: string) {
  return z.record(z.string(), headerCondition).transform((rec, ctx) => {
    const out: Array<{ name: string, equals?: string, present?: boolean }> = []
    for (const [key, cond] of Object.entries(rec)) {
      const refuse = (message: string): void => {
        ctx.addIssue({ code: 'custom', message, path: [key], params: { rulesCode: 'RULES_INVALID_VALUE', point: 'key' }, input: key })
      }
      let name: string
      try {
        name = nameOf(key)
      } catch (err) {
        refuse((err as Error).message)
        continue
      }
      if (out.some(c => c.name === name)) { refuse(`${show(key)} is named twice: ${twice}`); continue }
      out.push({ name, ...cond })
    }
    return out
  })
}

export const matchHeaders = conditions(key => {
  if (!HTTP_TOKEN.test(key)) throw new Error(`${show(key)} is not a header name`)
  return key.toLowerCase()
}, 'header names are case-insensitive')

export const matchQuery = conditions(key => {
  if (key === '' || /[\s&=#?]/.test(key)) throw new Error(`${show(key)} is not a query parameter name`)
  return key
}, 'query parameter names are exact')

/** `match.host`: an exact host name, or `*.example.com` (any name below it, not the name itself); no port. */
export const matchHost = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  const host = s.toLowerCase()
  const wildcard = host.startsWith('*.')
  const rest = wildcard ? host.slice(2) : host
  if (rest === '' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rest)) {
    throw new Error(`host ${show(s)} is a host name such as api.example.com or *.example.com (no port, no scheme)`)
  }
  return wildcard ? { suffix: '.' + rest } : { exact: host }
})
