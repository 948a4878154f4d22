import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

let ticksPerSecond = 0
function clkTck (): number {
  if (ticksPerSecond === 0) {
    try { ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100 } catch { ticksPerSecond = 100 }
  }
  return ticksPerSecond
}

/** utime + stime of a process (all its threads) in µs, from /proc/<pid>/stat. */
export function cpuMicros (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // the command name (field 2) may hold spaces: split after its closing ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) * 1e6 / clkTck()
}

/** A field of /proc/<pid>/status in bytes (VmHWM = peak RSS, VmRSS = current). */
export function statusBytes (pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return m === null ? NaN : Number(m[1]) * 1024
}

/** pids of a process's children (nginx workers under the master). */
export function childPids (pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch { return [] }
}
