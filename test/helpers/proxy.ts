import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { startProxy, type RunningProxy, type StartProxyOptions } from '../../src/app/start-proxy.js'

export async function tempDir (prefix = 'strangler-test-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}

/** Write a rules file (YAML text) into a fresh temp dir; returns its path. */
export async function writeRules (yaml: string, dir?: string): Promise<string> {
  const d = dir ?? await tempDir()
  const file = join(d, 'rules.yaml')
  await writeFile(file, yaml)
  return file
}

/** Start the proxy in-process on 127.0.0.1:0 with a silent logger. */
export async function startTestProxy (rulesYaml: string, opts: Partial<StartProxyOptions> = {}): Promise<RunningProxy & { rulesFile: string }> {
  let rulesFile = opts.rulesFile
  if (rulesFile === undefined) rulesFile = await writeRules(rulesYaml)
  else await writeFile(rulesFile, rulesYaml)
  const proxy = await startProxy({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), watch: false, ...opts, rulesFile })
  return Object.assign(proxy, { rulesFile })
}
