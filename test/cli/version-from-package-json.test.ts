import { readFile } from 'node:fs/promises'
import { expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

// regression (issue 12): --version printed npm_package_version, the version of
// whatever package's npm script ran strangler (or 0.1.0 hard-coded)
it('--version prints the version of strangler\'s own package.json, whatever npm_package_version says', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag], { env: { ...process.env, npm_package_version: '9.9.9-other-package' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${pkg.version}\n`)
  }
})
