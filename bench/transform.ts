/**
 * `npx tsx bench/transform.ts [--rounds N] [--seconds S]` (also run by
 * `npm run bench`): the cost of transforms on a 10 KB JSON answer, closed
 * loop, interleaved rounds, each candidate pinned like bench/run.ts's.
 *   pass       a route with no transform
 *   head       status and header changes only: the body still streams
 *   body       the same plus five JSON body operations (rename, remove, set,
 *              default, copy): the answer is buffered, parsed, changed, written
 * Budget (issue 14): body costs at most 25 CPU µs per request over pass; head
 * stays within noise of pass. A cost is the median, over rounds, of the
 * candidate's figure minus pass's in the same round. Exit 1 when the body
 * budget is missed.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fixedJsonBody, startBackends } from './lib/backends.js'
import { startCandidate, type CandidateSpec, type RunningCandidate } from './lib/candidates.js'
import { freePorts } from './lib/free-ports.js'
import { cpuMicros } from './lib/proc-stats.js'
import { fmt, median } from './lib/stats.js'
import { runWrk } from './lib/wrk.js'

const argv = process.argv.slice(2)
const opt = (name: string, d: number): number => {
  const i = argv.indexOf(name)
  return i === -1 ? d : Number(argv[i + 1])
}
const rounds = opt('--rounds', 5)
const seconds = opt('--seconds', 5)
const BUDGET_US = 25
const ROOT = new URL('..', import.meta.url).pathname
process.chdir(ROOT)
const TMP = join(ROOT, 'bench', 'tmp', 'transform')

async function main (): Promise<number> {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { stdio: 'inherit' })
  mkdirSync(TMP, { recursive: true })
  const body = fixedJsonBody(10 * 1024)
  const ports = await freePorts(6)
  // nginx cannot return a 10 KB literal: the node backend (bench/backend.mjs), on the load core
  const be = await startBackends(TMP, body, [ports[0]!, ports[1]!], 1, true)
  const specs: CandidateSpec[] = [
    { key: 'pass', label: 'no transform', kind: 'strangler', shadowPort: null, logLevel: 'info' },
    { key: 'head', label: 'status and headers', kind: 'strangler', shadowPort: null, logLevel: 'info', transform: 'head' },
    { key: 'body', label: 'status, headers and 5 body operations', kind: 'strangler', shadowPort: null, logLevel: 'info', transform: 'body' }
  ]
  const running: RunningCandidate[] = []
  try {
    for (let i = 0; i < specs.length; i++) running.push(await startCandidate(specs[i]!, ports[2 + i]!, { tmp: TMP, primaryPort: be.primaryPort, core: 0 }))
    const url = (c: RunningCandidate): string => `http://127.0.0.1:${c.port}/api/items`
    // the transformed answer really is transformed
    const sample = await (await fetch(url(running[2]!))).json() as Record<string, unknown>
    if (sample['pageNumber'] !== 1 || 'pad' in sample || sample['apiVersion'] !== 2) throw new Error(`the body transform did not apply: ${JSON.stringify(sample).slice(0, 200)}`)
    for (const c of running) await runWrk(url(c), 2, 64, 1)
    const cpu = new Map<string, number[]>(running.map((c) => [c.spec.key, []]))
    const rps = new Map<string, number[]>(running.map((c) => [c.spec.key, []]))
    for (let r = 0; r < rounds; r++) {
      for (const c of r % 2 === 0 ? running : [...running].reverse()) {
        await runWrk(url(c), 1, 64, 1)
        const before = cpuMicros(c.child!.pid)
        const w = await runWrk(url(c), seconds, 64, 1)
        cpu.get(c.spec.key)!.push((cpuMicros(c.child!.pid) - before) / w.requests)
        rps.get(c.spec.key)!.push(w.rps)
      }
    }
    const m = (k: string): number => median(cpu.get(k)!)
    console.log(`transforms on a ${body.length} B JSON answer (${be.kind} backend), ${rounds} rounds of ${seconds} s, median CPU µs per request:`)
    for (const c of running) console.log(`  ${c.spec.key.padEnd(5)} ${c.spec.label.padEnd(40)} ${fmt(median(rps.get(c.spec.key)!)).padStart(7)} req/s  ${fmt(m(c.spec.key), 1).padStart(6)} CPU µs/req  [${cpu.get(c.spec.key)!.map((x) => fmt(x, 1)).join(' ')}]`)
    // each round runs the candidates back to back: the median of the per-round
    // differences cancels what drifts between rounds (the host's other load)
    const paired = (k: string): number => median(cpu.get(k)!.map((x, i) => x - cpu.get('pass')![i]!))
    const bodyCost = paired('body')
    const headCost = paired('head')
    console.log(`(median of the per-round differences; difference of the medians: head ${fmt(m('head') - m('pass'), 1)} µs, body ${fmt(m('body') - m('pass'), 1)} µs)`)
    console.log(`head over pass: ${fmt(headCost, 1)} µs (${fmt(headCost / m('pass') * 100, 1)}%)`)
    console.log(`body over pass: ${fmt(bodyCost, 1)} µs (budget ≤ ${BUDGET_US} µs): ${bodyCost <= BUDGET_US ? 'yes' : 'no'}`)
    return bodyCost <= BUDGET_US ? 0 : 1
  } finally {
    for (const c of running) await c.child?.stop()
    await be.stop()
  }
}

main().then((code) => process.exit(code), (err: unknown) => { console.error(err); process.exit(1) })
