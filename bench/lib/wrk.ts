import { spawn } from 'node:child_process'
import { canPin } from './child.js'

export interface WrkResult {
  readonly requests: number
  readonly seconds: number
  readonly rps: number
  /** ms */
  readonly p50: number
  readonly p99: number
  readonly errors: number
}

function toMs (v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim())
  if (m === null) return NaN
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000
}

export function parseWrk (out: string): WrkResult {
  const req = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(out)
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)
  const p99 = /^\s+99%\s+(\S+)/m.exec(out)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  if (req === null || rps === null) throw new Error(`cannot parse wrk output:\n${out}`)
  const seconds = toMs(req[2]! + req[3]!) / 1000
  const errors = (non2xx ? Number(non2xx[1]) : 0) + (sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]) : 0)
  return { requests: Number(req[1]), seconds, rps: Number(rps[1]), p50: p50 ? toMs(p50[1]!) : NaN, p99: p99 ? toMs(p99[1]!) : NaN, errors }
}

/** Closed-loop load with wrk (one thread, `connections` keep-alive connections, `headers` as `Name: value`), pinned to `core`. */
export async function runWrk (url: string, seconds: number, connections: number, core: number, headers: readonly string[] = []): Promise<WrkResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('load only targets 127.0.0.1')
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s', ...headers.flatMap((h) => ['-H', h]), url]
  const cmd = canPin() ? 'taskset' : 'wrk'
  const full = canPin() ? ['-c', String(core), 'wrk', ...args] : args
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] })
    let s = ''
    p.stdout.on('data', (b: Buffer) => { s += b.toString() })
    p.stderr.on('data', (b: Buffer) => { s += b.toString() })
    p.on('error', reject)
    p.on('exit', (code) => code === 0 ? resolve(s) : reject(new Error(`wrk exited ${code}:\n${s}`)))
  })
  return parseWrk(out)
}
