import { describe, expect, it } from 'vitest'
import type { GatesConfig } from '../../src/config/types.js'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { thresholdsOfGates } from '../../src/report/gate-thresholds.js'
import { DEFAULT_THRESHOLDS } from '../../src/report/parity-report.js'
import { renderHtml } from '../../src/report/render-html.js'
import { toReportJson } from '../../src/report/render-json.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { renderText } from '../../src/report/render-text.js'
import { makeRecord } from './ground-truth-store.js'

/** `compared` records of `name`, the first `mismatched` of them mismatches, then `errors` shadow errors. */
function route (name: string, compared: number, mismatched: number, errors = 0) {
  const out = []
  for (let i = 0; i < compared; i++) out.push(makeRecord({ route: name, outcome: i < mismatched ? 'mismatch' : 'match', i, differences: i < mismatched ? [{ kind: 'changed', path: '$.x', primary: 1, shadow: 2 }] : [] }))
  for (let i = 0; i < errors; i++) out.push(makeRecord({ route: name, outcome: 'shadow-error', i: compared + i, error: 'reset' }))
  return out
}

const gates = (g: Partial<GatesConfig>): GatesConfig => ({ minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, windowMs: 86_400_000, ...g })

describe('verdicts under each route\'s gates', () => {
  it('the default gates give the default thresholds', () => {
    expect(thresholdsOfGates(gates({}))).toEqual(DEFAULT_THRESHOLDS)
  })

  it('ready is exactly the gates; below minPairs is insufficient data; a route the rules lack keeps the report\'s thresholds', async () => {
    const report = await aggregateRecords([
      ...route('small', 8, 0), // 8 pairs at 100 %
      ...route('lenient', 20, 2), // 90 %
      ...route('strict', 200, 1), // 99.5 %
      ...route('unknown', 8, 0)
    ], {
      gates: new Map([
        ['small', gates({ minPairs: 5, parity: 0.9 })],
        ['lenient', gates({ minPairs: 5, parity: 0.9 })],
        ['strict', gates({ parity: 0.999 })]
      ])
    })
    const v = Object.fromEntries(report.routes.map(r => [r.route, r.verdict]))
    expect(v).toEqual({ small: 'ready', lenient: 'ready', strict: 'almost', unknown: 'insufficient-data' })
    expect(report.routes.find(r => r.route === 'small')!.gates).toEqual({ minPairs: 5, parity: 0.9, maxShadowErrors: 0.001, window: '24h' })
    expect(report.routes.find(r => r.route === 'unknown')!.gates).toEqual({ minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, window: null })
    expect(report.thresholds).toEqual(DEFAULT_THRESHOLDS)
  })

  it('almost keeps the looser bar, never stricter than the gate: with parity 0.9 and more shadow errors than ready allows', async () => {
    const report = await aggregateRecords([
      ...route('errors', 90, 0, 10), // parity 100 %, 10 % errors
      ...route('some-errors', 97, 0, 3), // 3 % errors: almost
      ...route('low', 100, 8) // 92 %: under the default almost bar, over this gate's
    ], {
      gates: new Map([
        ['errors', gates({ minPairs: 5, parity: 0.9, maxShadowErrors: 0.01 })],
        ['some-errors', gates({ minPairs: 5, parity: 0.9, maxShadowErrors: 0.01 })],
        ['low', gates({ minPairs: 5, parity: 0.9 })]
      ])
    })
    const v = Object.fromEntries(report.routes.map(r => [r.route, r.verdict]))
    expect(v).toEqual({ errors: 'broken', 'some-errors': 'almost', low: 'ready' })
  })

  it('shows a route\'s own gates and its last flip in every format; the json keeps the report\'s thresholds and adds gates and lastFlip per route', async () => {
    const base = await aggregateRecords([...route('small', 8, 0), ...route('plain', 150, 0), ...route('tiny', 3, 0)], {
      gates: new Map([['small', gates({ minPairs: 5, parity: 0.9 })], ['plain', gates({})], ['tiny', gates({})]])
    })
    const report = {
      ...base,
      routes: base.routes.map(r => r.route !== 'small'
        ? r
        : { ...r, lastFlip: { at: '2026-11-21T10:00:00.000Z', by: 'bob', action: 'promote' as const, from: { stage: 'legacy' as const, serve: 'legacy', shadow: null }, to: { stage: 'shadowing' as const, serve: 'legacy', shadow: 'orders' }, forced: true, reason: 'launch <now>' } })
    }
    const text = renderText(report)
    expect(text).toContain('ready: plain (100%), small (100%) · insufficient data (< 100 pairs): 1')
    expect(text).toContain('   last flip 2026-11-21T10:00:00.000Z promote by bob: legacy → shadowing, forced: "launch <now>"')
    expect(text).toContain("   gates    ≥ 5 pairs, parity ≥ 90%, shadow errors ≤ 0.1%, window 24h (the route's own)")
    // a route on the top-level gates says nothing more
    expect(text.split('── plain')[1]!.split('──')[0]).not.toContain('gates')
    const md = renderMarkdown(report)
    expect(md).toContain('- last flip: 2026-11-21T10:00:00.000Z promote by bob: legacy → shadowing, forced: "launch \\<now\\>"')
    expect(md).toContain("- gates (the route's own): ≥ 5 pairs, parity ≥ 90%, shadow errors ≤ 0.1%, window 24h")
    const html = renderHtml(report)
    expect(html).toContain('<p class="flip muted">Last flip: 2026-11-21T10:00:00.000Z promote by bob: legacy → shadowing, forced: &quot;launch &lt;now&gt;&quot;</p>')
    expect(html).toContain('(a route with gates of its own is judged by them, as its section says)')
    const json = toReportJson(report) as { thresholds: unknown; routes: Array<Record<string, unknown>> }
    expect(json.thresholds).toEqual(DEFAULT_THRESHOLDS)
    const small = json.routes.find(r => r.route === 'small')!
    expect(small.gates).toEqual({ minPairs: 5, parity: 0.9, maxShadowErrors: 0.001, window: '24h' })
    expect(small.lastFlip).toEqual({ at: '2026-11-21T10:00:00.000Z', by: 'bob', action: 'promote', from: { stage: 'legacy', serve: 'legacy', shadow: null }, to: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' }, forced: true, reason: 'launch <now>' })
    expect(json.routes.find(r => r.route === 'plain')!.lastFlip).toBeNull()
  })

  it('says "< their minPairs" when the insufficient-data routes need different numbers of pairs', async () => {
    const report = await aggregateRecords([...route('a', 3, 0), ...route('b', 3, 0)], { gates: new Map([['a', gates({ minPairs: 5 })], ['b', gates({ minPairs: 50 })]]) })
    expect(renderText(report)).toContain('insufficient data (< their minPairs): 2')
  })
})
