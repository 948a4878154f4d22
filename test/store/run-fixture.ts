import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/append-then-wait.ts', import.meta.url))

export interface Running {
  readonly child: ChildProcess
  /** resolves once the fixture printed "ready" (all records appended) */
  readonly ready: Promise<void>
  /** exit code and signal */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

/**
 * Returns a starter for test/store/fixtures/append-then-wait.ts in real Node
 * processes (through tsx); any child still running after a test (a failed or
 * timed-out one) is killed.
 */
export function useFixtureRunner (): typeof runFixture {
  const running = new Set<ChildProcess>()
  afterEach(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    running.clear()
  })
  return (dir, n, mode) => {
    const run = runFixture(dir, n, mode)
    running.add(run.child)
    return run
  }
}

function runFixture (dir: string, n: number, mode: 'handler' | 'no-handler' | 'natural'): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, String(n), mode], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }))
  })
  const ready = new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (out.includes('ready\n')) resolve()
    })
    void exited.then(({ code, signal }) => reject(new Error(`fixture exited before ready (code ${code}, signal ${signal}): ${stderr}`)))
  })
  ready.catch(() => {})
  return { child, ready, exited }
}
