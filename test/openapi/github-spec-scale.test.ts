/**
 * GitHub's REST description (~1,200 operations, 13 MB of JSON) from the npm
 * package @octokit/openapi. Not a dependency and never committed: the test
 * runs when `npm test`'s pretest unpacked it into .cache/, the package is in node_modules (`npm install --no-save
 * @octokit/openapi`) or STRANGLER_GITHUB_SPEC names api.github.com.json
 * (e.g. from `npm pack @octokit/openapi` in a temp dir); otherwise it is
 * skipped, saying so. Timing is measured by bench/openapi-load.ts, not here.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import { ContractValidator } from '../../src/openapi/contract-validator.js'
import { renderStarterRules } from '../../src/openapi/init-rules.js'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../../src/openapi/operations-index.js'

function githubSpec (): string | null {
  const fromEnv = process.env.STRANGLER_GITHUB_SPEC
  if (fromEnv !== undefined && fromEnv !== '' && existsSync(fromEnv)) return fromEnv
  // where scripts/test-deps.mjs (npm pretest) unpacks it
  const cached = new URL('../../.cache/octokit/package/generated/api.github.com.json', import.meta.url).pathname
  if (existsSync(cached)) return cached
  try {
    const pkg = createRequire(import.meta.url).resolve('@octokit/openapi/package.json')
    const file = join(dirname(pkg), 'generated', 'api.github.com.json')
    return existsSync(file) ? file : null
  } catch {
    return null
  }
}

const file = githubSpec()
const title = file === null
  ? 'GitHub REST spec at scale (SKIPPED: @octokit/openapi not installed; npm install --no-save @octokit/openapi, or set STRANGLER_GITHUB_SPEC)'
  : 'GitHub REST spec at scale'

if (file === null) console.warn(`github-spec-scale: ${title}`)

describe.skipIf(file === null)(title, () => {
  it('loads, indexes over 1,000 operations, looks paths up, compiles every schema, and inits rules check accepts', async () => {
    const spec = await loadSpec(file!)
    expect(spec.version).toBe('openapi3.0')
    const index = buildOperationsIndex(spec)
    expect(index.operations.length).toBeGreaterThan(1000)
    expect(index.lookup('GET', '/repos/octokit/rest.js/contents/README.md')?.operationId).toBe('repos/get-content')
    expect(index.lookup('GET', '/user')?.operationId).toBe('users/get-authenticated')
    expect(index.lookup('GET', '/users/octocat')?.operationId).toBe('users/get-by-username')
    expect(index.lookup('GET', '/repos/o/r/pulls/42?per_page=1')?.template).toBe('/repos/{owner}/{repo}/pulls/{pull_number}')
    expect(index.lookup('GET', '/definitely/not/github')).toBeNull()

    const validator = ContractValidator.fromSpec(spec, index)
    expect(validator.compileErrors).toEqual([])
    const r = validator.validate('GET', '/users/octocat', 200, 'application/json', { login: 42 }, 'shadow')
    expect(r.checked).toBe(true)
    if (r.checked) expect(r.differences.length).toBeGreaterThan(0)

    const rules = loadRulesText(renderStarterRules(index, { legacyUrl: 'http://127.0.0.1:3000', specFile: file! }), 'github.rules.yaml')
    expect(rules.ok).toBe(true)
    expect(rules.warnings).toEqual([])
    if (rules.ok) expect(rules.rules.routes.length).toBe(index.operations.length)
  }, 120_000)
})
