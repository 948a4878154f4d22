import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'

export interface Child {
  readonly name: string
  readonly pid: number
  readonly proc: ChildProcess
  stop (): Promise<void>
}

let tasksetOk: boolean | null = null
/** whether `taskset` can pin (absent or refused: run unpinned) */
export function canPin (): boolean {
  if (tasksetOk === null) {
    try { execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }); tasksetOk = true } catch { tasksetOk = false }
  }
  return tasksetOk
}

export interface SpawnOptions {
  readonly name: string
  readonly cmd: string
  readonly args: readonly string[]
  /** core to pin to with taskset, when available */
  readonly core?: number
  /** where stdout goes (a log file); default: ignored */
  readonly stdoutFile?: string
  /** resolved once this text shows on stdout or stderr */
  readonly readyText: string
  readonly cwd?: string
  readonly timeoutMs?: number
}

/**
 * Spawn a process (pinned with `taskset -c CORE` where available; taskset
 * execs the command, so the pid is the command's) and wait until it prints
 * readyText.
 */
export async function spawnReady (o: SpawnOptions): Promise<Child> {
  const pinned = o.core !== undefined && canPin()
  const cmd = pinned ? 'taskset' : o.cmd
  const args = pinned ? ['-c', String(o.core), o.cmd, ...o.args] : [...o.args]
  const outFd = o.stdoutFile !== undefined ? openSync(o.stdoutFile, 'w') : null
  // when stdout goes to a file, readiness is read from stderr only
  const proc = spawn(cmd, args, { cwd: o.cwd, stdio: ['ignore', outFd ?? 'pipe', 'pipe'] })
  if (outFd !== null) closeSync(outFd)
  let seen = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${o.name} did not start within ${o.timeoutMs ?? 15000} ms:\n${seen}`)) }, o.timeoutMs ?? 15_000)
    const onData = (b: Buffer): void => {
      seen += b.toString()
      if (seen.includes(o.readyText)) { clearTimeout(timer); resolve() }
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${o.name} exited with ${code} before it was ready:\n${seen}`)) })
  })
  // keep draining, never let a full pipe block the child
  proc.stdout?.on('data', () => {})
  proc.stderr?.on('data', () => {})
  proc.removeAllListeners('exit')
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGTERM')
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(t)
  }
  return { name: o.name, pid: proc.pid!, proc, stop }
}
