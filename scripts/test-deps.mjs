#!/usr/bin/env node
// Runs before `npm test`: makes sure what the tests use from outside npm is
// here, on a fresh machine too.
// - Debian's chromium, for the HTML report's headless-browser test: installed
//   with apt-get when missing and we are root (CI, this workplace); otherwise
//   that one test says it is skipped.
// - GitHub's REST description (npm package @octokit/openapi, 13 MB, never
//   committed) for the OpenAPI scale test: unpacked into .cache/.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const OCTOKIT = '@octokit/openapi@23.0.2'
const root = new URL('..', import.meta.url).pathname
const log = (s) => process.stdout.write(`test-deps: ${s}\n`)

function have (cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true } catch { return false }
}

if (!existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && have('apt-get')) {
    log('installing Debian chromium for the HTML report browser test (apt-get)')
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null'], { stdio: 'inherit' })
  } else {
    log('no /usr/bin/chromium and cannot install it: the HTML browser test will be skipped')
  }
}

const cache = join(root, '.cache', 'octokit')
const spec = join(cache, 'package', 'generated', 'api.github.com.json')
if (!existsSync(spec)) {
  try {
    mkdirSync(cache, { recursive: true })
    log(`fetching ${OCTOKIT} for the OpenAPI scale test`)
    execFileSync('npm', ['pack', OCTOKIT, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] })
    const tgz = readdirSync(cache).find((f) => f.endsWith('.tgz'))
    execFileSync('tar', ['xzf', tgz], { cwd: cache })
  } catch (err) {
    log(`could not fetch ${OCTOKIT} (${err.message}): the scale test will be skipped`)
  }
}
