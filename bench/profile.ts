/**
 * `npx tsx bench/profile.ts [pass|pass-warn|shadow|stalled|bare|naive|mismatch-nopairs|mismatch-pairs|transform-pass|transform-body] [seconds]`:
 * runs one candidate of bench/run.ts under `node --cpu-prof` (pinned to core
 * 0, nginx and wrk on core 1), loads it with wrk, stops it, and prints the
 * top self-time frames (by function and by file). `transform-*` answer the
 * 10 KB JSON of bench/transform.ts from the node backend, without and with
 * the five body operations. Profiles go to
 * bench/tmp/profiles/ (gitignored).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fixedJsonBody, startBackends } from './lib/backends.js'
import { spawnReady, type Child } from './lib/child.js'
import { freePorts } from './lib/free-ports.js'
import { cpuMicros } from './lib/proc-stats.js'
import { writeRulesFile } from './lib/rules-file.js'
import { runWrk } from './lib/wrk.js'

const which = process.argv[2] ?? 'pass'
const seconds = Number(process.argv[3] ?? 10)
const ROOT = new URL('..', import.meta.url).pathname
process.chdir(ROOT)
const TMP = join(ROOT, 'bench', 'tmp')
const DIR = join(TMP, 'profiles', which)

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function top (file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  let total = 0
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt)
    total += dt
  }
  const byFn = new Map<string, number>()
  const byFile = new Map<string, number>()
  for (const [id, t] of self) {
    const cf = byId.get(id)!.callFrame
    const url = cf.url.replace(/^file:\/\//, '').replace(ROOT, '')
    const fn = `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`
    byFn.set(fn, (byFn.get(fn) ?? 0) + t)
    const f = url === '' ? `(${cf.functionName})` : url.replace(/^.*node_modules\//, 'nm/')
    byFile.set(f, (byFile.get(f) ?? 0) + t)
  }
  const show = (title: string, m: Map<string, number>, n: number): void => {
    console.log(`\n${title}`)
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${(t / total * 100).toFixed(1).padStart(5)}%  ${k}`)
  }
  // inclusive time of our own frames (dist/), children included
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const incl = new Map<string, number>()
  for (const [id, t] of self) {
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame
      if (!cf.url.includes('/dist/') && !cf.url.includes('/bench/')) continue
      const k = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(dist|bench)\//, '$1/')}:${cf.lineNumber + 1}`
      if (seen.has(k)) continue
      seen.add(k)
      incl.set(k, (incl.get(k) ?? 0) + t)
    }
  }
  show('top self time, by function', byFn, 45)
  show('inclusive time of our frames', incl, 30)
  show('top self time, by file', byFile, 30)
}

async function main (): Promise<void> {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { stdio: 'inherit' })
  rmSync(DIR, { recursive: true, force: true })
  mkdirSync(DIR, { recursive: true })
  const [a, b, s, proxyPort, m] = await freePorts(5) as [number, number, number, number, number]
  const transform = which === 'transform-body' ? 'body' : null
  const tenKb = which.startsWith('transform-')
  const be = await startBackends(TMP, fixedJsonBody(tenKb ? 10 * 1024 : 1024), [a, b, m], 1, tenKb)
  const children: Child[] = []
  try {
    children.push(await spawnReady({ name: 'stalled', cmd: process.execPath, args: ['bench/stalled-upstream.mjs', String(s)], core: 1, readyText: 'ready' }))
    const prof = ['--cpu-prof', '--cpu-prof-dir', DIR]
    let child: Child
    if (which === 'bare') {
      child = await spawnReady({ name: which, cmd: process.execPath, args: [...prof, 'bench/bare-proxy.mjs', String(proxyPort), `http://127.0.0.1:${a}`], core: 0, readyText: 'ready' })
    } else if (which === 'naive') {
      child = await spawnReady({ name: which, cmd: process.execPath, args: [...prof, 'bench/naive-shadow.mjs', String(proxyPort), `http://127.0.0.1:${a}`, `http://127.0.0.1:${b}`, join(DIR, 'records.ndjson')], core: 0, readyText: 'ready' })
    } else {
      const rules = join(DIR, 'rules.yaml')
      const mismatch = which.startsWith('mismatch-')
      writeRulesFile(rules, {
        primaryPort: a,
        shadowPort: which === 'shadow' ? b : which === 'stalled' ? s : mismatch ? m : null,
        transform,
        pairs: which === 'mismatch-pairs' ? { keepPairs: 'mismatches', maxPairsPerMinute: 1_000_000 } : which === 'mismatch-nopairs' ? { keepPairs: 'none' } : null
      })
      child = await spawnReady({
        name: which,
        cmd: process.execPath,
        args: [...prof, 'bin/strangler.js', 'serve', '--rules', rules, '--port', String(proxyPort), '--store', join(DIR, 'store'), '--log-level', which === 'pass-warn' ? 'warn' : 'info'],
        core: 0,
        stdoutFile: join(DIR, 'access.log'),
        readyText: 'proxy listening'
      })
    }
    children.push(child)
    const url = `http://127.0.0.1:${proxyPort}/api/items`
    await runWrk(url, 3, 64, 1)
    const before = cpuMicros(child.pid)
    const r = await runWrk(url, seconds, 64, 1)
    const after = cpuMicros(child.pid)
    console.log(`${which}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${((after - before) / r.requests).toFixed(1)} CPU µs/req (under the profiler)`)
    await child.stop()
  } finally {
    for (const c of children) await c.stop()
    await be.stop()
  }
  const files = readdirSync(DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(DIR, f))
  files.sort((x, y) => statSync(y).size - statSync(x).size)
  if (files[0] === undefined) throw new Error('no profile written')
  console.log(`profile: ${files[0]}`)
  top(files[0])
}

main().catch((err: unknown) => { console.error(err); process.exit(1) })
