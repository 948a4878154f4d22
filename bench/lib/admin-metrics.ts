import { request } from 'undici'

async function metricsText (adminPort: number): Promise<string> {
  const res = await request(`http://127.0.0.1:${adminPort}/metrics`)
  return await res.body.text()
}

const sumOf = (text: string, re: RegExp): number => {
  let n = 0
  for (const m of text.matchAll(re)) n += Number(m[1])
  return n
}

export interface CorrelationCounters {
  readonly pairs: number
  readonly learned: number
  readonly applied: number
  /** mirrors that waited for a pair being learned */
  readonly waits: number
}

/** `strangler_correlation_pairs` and `strangler_correlation_total` from a strangler admin listener's /metrics. */
export async function correlationCounters (adminPort: number): Promise<CorrelationCounters> {
  const text = await metricsText(adminPort)
  return {
    pairs: sumOf(text, /^strangler_correlation_pairs\s+(\S+)/gm),
    learned: sumOf(text, /^strangler_correlation_total\{event="learned"\}\s+(\S+)/gm),
    applied: sumOf(text, /^strangler_correlation_total\{event="applied"\}\s+(\S+)/gm),
    waits: sumOf(text, /^strangler_correlation_total\{event="waits"\}\s+(\S+)/gm)
  }
}

/** The proxy adds up concurrency skips and counts them once a second: wait this long after a load for them all. */
export const SKIP_FLUSH_MS = 1200

/** Mirrors of `route` not sent (`strangler_shadow_skips_total`, every reason: concurrency, client-aborted, …); concurrency skips show up to a second late (SKIP_FLUSH_MS). */
export async function shadowSkips (adminPort: number, route: string): Promise<number> {
  return sumOf(await metricsText(adminPort), new RegExp(`^strangler_shadow_skips_total\\{[^}]*route="${route}"[^}]*\\}\\s+(\\S+)`, 'gm'))
}

/** Pairs kept whole so far (`strangler_pairs_total{result="kept"}`: counted when appended to the store, before the disk). */
export async function pairsKept (adminPort: number): Promise<number> {
  return sumOf(await metricsText(adminPort), /^strangler_pairs_total\{result="kept"\}\s+(\S+)/gm)
}
