import { spawn } from 'node:child_process'

export interface ChildBench {
  readonly title: string
  readonly command: string
  readonly code: number | null
  readonly output: string
  readonly seconds: number
}

/** Run an existing bench script (`npx tsx bench/X.ts …`) as a child process and keep its output. */
export async function runChildBench (title: string, args: readonly string[], env: Record<string, string> = {}): Promise<ChildBench> {
  const started = performance.now()
  const command = `npx tsx ${args.join(' ')}`
  return await new Promise((resolve) => {
    const p = spawn('npx', ['tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    let out = ''
    p.stdout.on('data', (b: Buffer) => { out += b.toString(); process.stdout.write(b) })
    p.stderr.on('data', (b: Buffer) => {
      const s = b.toString()
      if (/npm warn Unknown user config/.test(s)) return
      out += s
      process.stderr.write(b)
    })
    p.on('exit', (code) => resolve({ title, command, code, output: out.trimEnd(), seconds: (performance.now() - started) / 1000 }))
  })
}
