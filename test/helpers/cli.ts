import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/strangler.js', import.meta.url))

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Run the built CLI (bin/strangler.js over dist/) as a real child process; `env` replaces the inherited environment. */
export async function runCli (args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`strangler ${args.join(' ')} did not finish; stderr: ${stderr}`)) }, opts.timeoutMs ?? 20_000)
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

export interface ServeProcess {
  readonly child: ChildProcess
  readonly port: number
  readonly adminPort: number | null
  output (): string
  /** resolves with the exit code */
  exited: Promise<number | null>
}

/**
 * Start `strangler serve` on port 0 and wait for the line it prints on
 * stderr once listening, which carries the real ports; `env` replaces the
 * inherited environment.
 */
export async function startServe (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const ready = new Promise<{ port: number; adminPort: number | null }>((resolve, reject) => {
    let err = ''
    child.stdout!.on('data', (c: Buffer) => { out += c.toString() })
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
      err += c.toString()
      const m = /proxy listening on (http:\/\/\S+?)(?:, admin on (http:\/\/\S+))? \(/.exec(err)
      if (m) resolve({ port: Number(new URL(m[1]!).port), adminPort: m[2] ? Number(new URL(m[2]).port) : null })
    })
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${out}`)))
    setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 15_000).unref()
  })
  const { port, adminPort } = await ready
  return { child, port, adminPort, output: () => out, exited }
}
