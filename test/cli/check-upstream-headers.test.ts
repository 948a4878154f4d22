import { expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

const SECRET = 'check-secret-2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'

const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders:
    url: http://127.0.0.1:4000
    headers:
      set: { authorization: "Bearer \${ORDERS_TOKEN}", x-api-key: "\${ORDERS_KEY}" }
      remove: [cookie]
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders/**" }, serve: legacy, shadow: orders }
`

async function rulesFile (): Promise<string> {
  const file = join(await tempDir(), 'rules.yaml')
  await writeFile(file, RULES)
  return file
}

/** The child's environment: this one's PATH and the like, without the variables under test. */
function envWith (vars: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['ORDERS_TOKEN']
  delete env['ORDERS_KEY']
  return { ...env, ...vars }
}

it('strangler check names an unset variable with file:line:col, the upstream and the header, and exits 1', async () => {
  const file = await rulesFile()
  const r = await runCli(['check', '--rules', file], { env: envWith({ ORDERS_KEY: SECRET }) })
  expect(r.code).toBe(1)
  expect(r.stdout).toContain(`${file}:7:29 error RULES_UNSET_ENV: upstreams.orders.headers.set.authorization: environment variable ORDERS_TOKEN is not set\n`)
  expect(r.stdout).toContain('1 error, 0 warnings')
  expect(r.stdout + r.stderr).not.toContain(SECRET)
})

it('strangler check accepts the file once the variables are set, and never echoes their values', async () => {
  const file = await rulesFile()
  const r = await runCli(['check', '--rules', file], { env: envWith({ ORDERS_KEY: SECRET, ORDERS_TOKEN: SECRET }) })
  expect(r.stdout).toContain('rules.yaml: valid, 1 route (1 shadowing)')
  expect(r.code).toBe(0)
  expect(r.stdout + r.stderr).not.toContain(SECRET)
})
