import type { CompareConfig, RedactConfig } from '../../src/config/types.js'
import { mergeRedact } from '../../src/config/merge.js'
import type { CapturedResponse } from '../../src/compare/captured-response.js'

export function cfg (over: Partial<CompareConfig> = {}): CompareConfig {
  return Object.freeze({ headers: [], ignore: [], unordered: [], tolerance: 0, typeOnly: [], accept: [], ...over })
}

/** A redact config as the rules merge makes it (default query names, no keep), with `over` on top. */
export function redactCfg (over: Partial<RedactConfig> = {}): RedactConfig {
  return Object.freeze({ ...mergeRedact(undefined, undefined), ...over })
}

export function json (value: unknown, status = 200, headers: Record<string, string> = {}): CapturedResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value)) }
}

export function raw (body: Buffer | string | null, headers: Record<string, string | string[]> = {}, status = 200): CapturedResponse {
  return { status, headers, body: typeof body === 'string' ? Buffer.from(body) : body }
}
