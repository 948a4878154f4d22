// Open-loop load at a fixed offered rate (what wrk2 does): request i is due at
// t0 + i/rate whatever happened to earlier ones, and its latency is counted
// from when it was due, so a stall shows up in full (no coordinated omission).
//   node bench/open-loop.mjs URL RATE SECONDS [WARMUP_SECONDS] [CONNECTIONS]
// Prints one JSON line: { sent, ok, errors, p50, p90, p99, p999, max } (ms).
import { Pool } from 'undici'

const url = new URL(process.argv[2])
const rate = Number(process.argv[3])
const seconds = Number(process.argv[4])
const warmup = Number(process.argv[5] ?? 2)
const connections = Number(process.argv[6] ?? 64)
if (!(url.hostname === '127.0.0.1' || url.hostname === 'localhost')) throw new Error('open-loop only targets loopback')

const pool = new Pool(url.origin, { connections, pipelining: 1 })
const total = Math.round(rate * (warmup + seconds))
const skip = Math.round(rate * warmup)
const interval = 1000 / rate
const latencies = new Float64Array(total - skip)
let recorded = 0
let ok = 0
let errors = 0
let settled = 0
let next = 0
let finish
const done = new Promise((resolve) => { finish = resolve })

function send (i, due) {
  pool.request({ path: url.pathname + url.search, method: 'GET' }).then(async (res) => {
    for await (const _ of res.body) { /* drain */ }
    if (res.statusCode === 200) ok++; else errors++
  }, () => { errors++ }).finally(() => {
    if (i >= skip) latencies[recorded++] = performance.now() - due
    if (++settled === total) finish()
  })
}

const t0 = performance.now() + 10
function tick () {
  const now = performance.now()
  while (next < total && t0 + next * interval <= now) {
    send(next, t0 + next * interval)
    next++
  }
  if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()))
}
setTimeout(tick, 10)
// bounded: give up 30 s after the last request was due
const guard = setTimeout(() => finish(), (warmup + seconds) * 1000 + 30_000)
await done
clearTimeout(guard)
const xs = latencies.subarray(0, recorded).sort()
const q = (p) => xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]
process.stdout.write(JSON.stringify({ sent: next, ok, errors, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: xs.length ? xs[xs.length - 1] : NaN }) + '\n')
await pool.close()
