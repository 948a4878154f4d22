import { z } from 'zod'
import type { ErrorCode } from '../errors.js'

/** Params carried by the custom issues this folder raises: the stable code, and for unknown keys the keys allowed. */
export interface RulesIssueParams {
  readonly rulesCode: ErrorCode
  readonly known?: readonly string[]
  /** what the issue points at in the file (default: the value; `key` for a mapping key that is refused) */
  readonly point?: 'key' | 'value'
}

/** A strict object: each unknown key is its own issue (path ends with the key), naming the keys allowed. */
export function strict<S extends z.ZodRawShape> (shape: S) {
  const params: RulesIssueParams = { rulesCode: 'RULES_UNKNOWN_KEY', known: Object.keys(shape) }
  return z.object(shape).catchall(z.custom<unknown>(() => false, { params: { ...params } }))
}

/** Run `fn` on the value `input` produced; a throw becomes an issue with `code` and the thrown message. */
export function convert<I extends z.ZodType, O> (input: I, code: ErrorCode, fn: (value: z.output<I>) => O) {
  return input.transform((value, ctx): O => {
    try {
      return fn(value)
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err), params: { rulesCode: code }, input: value })
      return z.NEVER
    }
  })
}

/** Like convert, for values of any type (numbers or strings, say). */
export function anyValue<O> (code: ErrorCode, fn: (value: unknown) => O) {
  return convert(z.unknown(), code, fn)
}

/**
 * One of two schemas, chosen by a look at the value (a string or a mapping, say), so the
 * issues are those of the schema meant rather than a union's "no option matched".
 */
export function either<A extends z.ZodType, B extends z.ZodType> (useA: (value: unknown) => boolean, a: A, b: B) {
  return z.unknown().transform((value, ctx): z.output<A> | z.output<B> => {
    const result = (useA(value) ? a : b).safeParse(value)
    if (result.success) return result.data as z.output<A> | z.output<B>
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: undefined } as never)
    return z.NEVER
  })
}

/** An HTTP token (RFC 9110): what a header name, a method or a cookie name is made of. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** A value as a message quotes it: its JSON form. */
export function show (v: unknown): string {
  return JSON.stringify(v) ?? String(v)
}
