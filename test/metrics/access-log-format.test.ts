import { describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { AccessLog, type AccessEntry } from '../../src/metrics/access-log.js'

// The access line is built by a template for speed; it must be the very line
// pino writes for logger.info({ method, url, route, upstream, status, ms }, 'request').
function capture (opts: pino.LoggerOptions = {}): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = []
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  // a fixed clock so that both lines carry the same time
  const logger = pino({ level: 'info', timestamp: () => ',"time":1700000000000', ...opts }, dest)
  return { logger, lines }
}

const entries: AccessEntry[] = [
  { method: 'GET', url: '/api/items?page=2', route: 'items', upstream: 'legacy', status: 200, ms: 1.3, fallbackFrom: null, fallbackReason: null },
  { method: 'POST', url: '/a "quoted"\\path/ünïcode\u2028', route: 'we"ird\nroute', upstream: 'new-svc', status: 502, ms: 0, fallbackFrom: 'new-svc', fallbackReason: 'status-503' }
]

function viaPino (e: AccessEntry): Record<string, unknown> {
  const line: Record<string, unknown> = { method: e.method, url: e.url, route: e.route, upstream: e.upstream, status: e.status, ms: e.ms }
  if (e.fallbackFrom !== null) {
    line.fallbackFrom = e.fallbackFrom
    line.fallbackReason = e.fallbackReason
  }
  return line
}

describe('access log line', () => {
  it('is byte for byte the line pino writes, bindings and escapes included', async () => {
    const a = capture()
    const b = capture()
    const child = { a: a.logger.child({ svc: 'proxy' }), b: b.logger.child({ svc: 'proxy' }) }
    const access = new AccessLog(child.a)
    for (const e of entries) {
      access.write(e)
      child.b.info(viaPino(e), 'request')
    }
    await new Promise((resolve) => setImmediate(resolve))
    expect(a.lines).toHaveLength(2)
    expect(a.lines).toEqual(b.lines)
    expect(JSON.parse(a.lines[1]!)).toMatchObject({ level: 30, svc: 'proxy', route: 'we"ird\nroute', fallbackReason: 'status-503', msg: 'request' })
  })

  it('goes through logger.info for a logger with its own formatters', async () => {
    const a = capture({ formatters: { level: (label) => ({ severity: label }) } })
    new AccessLog(a.logger).write(entries[0]!)
    await new Promise((resolve) => setImmediate(resolve))
    expect(JSON.parse(a.lines[0]!)).toMatchObject({ severity: 'info', url: '/api/items?page=2', msg: 'request' })
  })

  it('is off when info is not enabled', () => {
    const a = capture({ level: 'warn' })
    expect(new AccessLog(a.logger).enabled).toBe(false)
    expect(new AccessLog(capture().logger).enabled).toBe(true)
  })
})
