import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { canPin, spawnReady, type Child } from './child.js'

export interface Backends {
  readonly kind: string
  readonly version: string
  /** the primary backend and the identical shadow backend */
  readonly primaryPort: number
  readonly shadowPort: number
  /** when asked for (a third port): a shadow whose body differs from the primary's in one value, new on every answer */
  readonly mismatchPort: number | null
  readonly children: readonly Child[]
  stop (): Promise<void>
}

/** A deterministic JSON body of exactly `size` bytes (no quote, dollar or backslash, so nginx can `return` it). */
export function fixedJsonBody (size = 1024): Buffer {
  const items: string[] = []
  let s = ''
  for (let i = 0; ; i++) {
    const next = `{"id":${i},"sku":"SKU-${100000 + i}","price":${(i * 7.31 % 100).toFixed(2)},"qty":${i % 7}}`
    const candidate = `{"page":1,"items":[${[...items, next].join(',')}],"pad":""}`
    if (candidate.length > size) break
    items.push(next)
    s = candidate
  }
  const pad = 'x'.repeat(size - s.length)
  return Buffer.from(s.replace('"pad":""', `"pad":"${pad}"`))
}

/** the placeholder of the varying body: nginx fills it in; bench/backend.mjs --vary too */
const REQUEST_ID = '${request_id}'
const REQUEST_ID_CHARS = 32

/** The template of the mismatching shadow's body: `body` with its pad starting with nginx's `${request_id}` (32 hex digits, new per answer). */
export function varyingJsonBody (body: Buffer): Buffer {
  const text = body.toString('utf8')
  const m = /"pad":"(x*)"/.exec(text)
  if (m === null) throw new Error('varyingJsonBody: the body has no "pad"')
  return Buffer.from(text.replace(m[0], () => `"pad":"${REQUEST_ID}${m[1]!.slice(REQUEST_ID_CHARS)}"`))
}

export async function waitHttp (port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await request(`http://127.0.0.1:${port}/api/items`)
      await res.body.dump()
      if (res.statusCode === 200) return
    } catch { /* not yet */ }
    if (Date.now() > until) throw new Error(`backend on ${port} did not answer within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function nginxBinary (): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p
  return null
}

/**
 * The fast backends on `core`: nginx (one worker) serving the fixed body on
 * two ports when Debian's nginx is installed, else two node:http servers.
 * A third port, when given, serves the mismatching shadow (varyingJsonBody:
 * every answer differs from the primary's at `$.pad`).
 */
export async function startBackends (dir: string, body: Buffer, ports: readonly [number, number] | readonly [number, number, number], core: number, forceNode = false): Promise<Backends> {
  const nginx = forceNode ? null : nginxBinary()
  const bodyFile = join(dir, 'body.json')
  writeFileSync(bodyFile, body)
  const varying = varyingJsonBody(body)
  const varyFile = join(dir, 'body-vary.json')
  writeFileSync(varyFile, varying)
  const mismatchPort = ports[2] ?? null
  if (nginx !== null) {
    const prefix = join(dir, 'nginx')
    mkdirSync(join(prefix, 'logs'), { recursive: true })
    const server = (port: number, text = body.toString('utf8')): string => `
    server {
      listen 127.0.0.1:${port} reuseport;
      access_log off;
      keepalive_requests 10000000;
      keepalive_timeout 65s;
      location / { default_type application/json; return 200 '${text}'; }
    }`
    const conf = `
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  ${server(ports[0])}
  ${server(ports[1])}
  ${mismatchPort !== null ? server(mismatchPort, varying.toString('utf8')) : ''}
}
`
    const confFile = join(prefix, 'nginx.conf')
    writeFileSync(confFile, conf)
    const args = ['-p', prefix, '-c', confFile, '-g', 'daemon off;']
    const proc = spawn(canPin() ? 'taskset' : nginx, canPin() ? ['-c', String(core), nginx, ...args] : args, { stdio: ['ignore', 'ignore', 'inherit'] })
    await Promise.all(ports.map(async (p) => { await waitHttp(p) }))
    const v = spawnSync(nginx, ['-v'], { encoding: 'utf8' })
    const version = `${v.stdout}${v.stderr}`.replace('nginx version: ', '').trim()
    const child: Child = {
      name: 'nginx',
      pid: proc.pid!,
      proc,
      stop: async () => {
        if (proc.exitCode !== null) return
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
        proc.kill('SIGQUIT')
        await exited
      }
    }
    return { kind: 'nginx', version, primaryPort: ports[0], shadowPort: ports[1], mismatchPort, children: [child], stop: child.stop }
  }
  const a = await spawnReady({ name: 'backend', cmd: process.execPath, args: ['bench/backend.mjs', String(ports[0]), bodyFile], core, readyText: 'ready' })
  const b = await spawnReady({ name: 'shadow-backend', cmd: process.execPath, args: ['bench/backend.mjs', String(ports[1]), bodyFile], core, readyText: 'ready' })
  const children = [a, b]
  if (mismatchPort !== null) children.push(await spawnReady({ name: 'mismatch-backend', cmd: process.execPath, args: ['bench/backend.mjs', String(mismatchPort), varyFile, '0', '--vary'], core, readyText: 'ready' }))
  return {
    kind: 'node:http',
    version: `node ${process.version}`,
    primaryPort: ports[0],
    shadowPort: ports[1],
    mismatchPort,
    children,
    stop: async () => { await Promise.all(children.map(async (c) => { await c.stop() })) }
  }
}
