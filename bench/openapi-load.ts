/**
 * Loads GitHub's REST description (@octokit/openapi, ~1,200 operations, 13 MB
 * of JSON) and times: load (read, parse, validate, dereference) + index, the
 * target being ≤ 5 s; 100k path lookups; compiling every response schema for
 * contract checks; 100k contract validations.
 *
 *   npx tsx bench/openapi-load.ts
 *
 * The package is never a dependency: taken from node_modules when present,
 * else from STRANGLER_GITHUB_SPEC (a path to api.github.com.json), else
 * fetched with `npm pack @octokit/openapi` into a temp dir removed at the end.
 * Exit 1 when load + index misses the target.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ContractValidator } from '../src/openapi/contract-validator.js'
import { loadSpec } from '../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../src/openapi/operations-index.js'

const TARGET_MS = 5000
const LOOKUPS = 100_000

function locate (): { file: string; cleanup: () => void } {
  const fromEnv = process.env.STRANGLER_GITHUB_SPEC
  if (fromEnv !== undefined && existsSync(fromEnv)) return { file: fromEnv, cleanup: () => {} }
  try {
    const pkg = createRequire(import.meta.url).resolve('@octokit/openapi/package.json')
    const file = join(dirname(pkg), 'generated', 'api.github.com.json')
    if (existsSync(file)) return { file, cleanup: () => {} }
  } catch { /* not installed: fetch it */ }
  const dir = mkdtempSync(join(tmpdir(), 'strangler-octokit-'))
  console.log(`fetching @octokit/openapi with npm pack into ${dir} ...`)
  execFileSync('npm', ['pack', '@octokit/openapi', '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] })
  const tgz = readdirSync(dir).find(f => f.endsWith('.tgz'))
  if (tgz === undefined) throw new Error('npm pack produced no tarball')
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, 'package/generated/api.github.com.json'])
  return { file: join(dir, 'package', 'generated', 'api.github.com.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

function ms (t0: number): number { return performance.now() - t0 }
function fmt (n: number): string { return `${n.toFixed(0)} ms` }

const { file, cleanup } = locate()
try {
  let t0 = performance.now()
  const spec = await loadSpec(file)
  const loadMs = ms(t0)
  t0 = performance.now()
  const index = buildOperationsIndex(spec)
  const indexMs = ms(t0)
  const total = loadMs + indexMs
  console.log(`spec              ${file}`)
  console.log(`operations        ${index.operations.length}`)
  console.log(`load + validate   ${fmt(loadMs)}`)
  console.log(`index             ${fmt(indexMs)}`)
  console.log(`load + index      ${fmt(total)}  (target ≤ ${TARGET_MS} ms: ${total <= TARGET_MS ? 'ok' : 'MISSED'})`)

  // concrete paths: each template with its parameters filled in
  const samples = index.operations.map(op => ({ method: op.method, path: op.path.replace(/\{[^}]+\}/g, 'x1') }))
  let found = 0
  t0 = performance.now()
  for (let i = 0; i < LOOKUPS; i++) {
    const s = samples[i % samples.length]!
    if (index.lookup(s.method, s.path) !== null) found++
  }
  const lookupMs = ms(t0)
  console.log(`${LOOKUPS} lookups    ${fmt(lookupMs)}  (${(lookupMs * 1000 / LOOKUPS).toFixed(2)} µs each, ${found} found)`)

  t0 = performance.now()
  const validator = ContractValidator.fromSpec(spec, index)
  console.log(`contract compile  ${fmt(ms(t0))}  (${validator.compileErrors.length} schemas failed to compile)`)
  const body = { login: 'octocat', id: 1, node_id: 'x', avatar_url: 'https://x', url: 'https://x' }
  t0 = performance.now()
  for (let i = 0; i < LOOKUPS; i++) validator.validate('GET', '/users/octocat', 200, 'application/json', body, 'shadow')
  const validateMs = ms(t0)
  console.log(`${LOOKUPS} validations ${fmt(validateMs)}  (${(validateMs * 1000 / LOOKUPS).toFixed(2)} µs each, GET /users/{username}, failing)`)
  console.log(`heap used         ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`)
  process.exitCode = total <= TARGET_MS ? 0 : 1
} finally {
  cleanup()
}
