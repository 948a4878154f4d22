import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

describe('CLI usage and exit codes (child process)', () => {
  it('--help works at the top and on each command, exit 0', async () => {
    const top = await runCli(['--help'])
    expect(top.code).toBe(0)
    for (const cmd of ['serve', 'check', 'report', 'suggest', 'init', 'coverage', 'demo']) {
      expect(top.stdout).toContain(cmd)
      const r = await runCli([cmd, '--help'])
      expect(r.code, cmd).toBe(0)
      expect(r.stdout, cmd).toContain(`Usage: strangler ${cmd}`)
    }
  })

  it('exits 2 for an unknown command', async () => {
    const r = await runCli(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown command 'frobnicate'")
  })

  it('exits 2 for an unknown flag', async () => {
    const r = await runCli(['check', '--rules', 'rules/example.yaml', '--colour'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown option '--colour'")
  })

  it('exits 2 for a missing required flag', async () => {
    const r = await runCli(['serve'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--rules')
  })

  it('exits 2 for a --format it does not know and a bad port', async () => {
    expect((await runCli(['report', '--format', 'pdf'])).code).toBe(2)
    expect((await runCli(['serve', '--rules', 'rules/example.yaml', '--port', 'eighty'])).code).toBe(2)
  })
})
