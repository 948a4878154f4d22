import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import net, { type AddressInfo } from 'node:net'

export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

export interface FakeUpstream {
  readonly url: string
  readonly port: number
  readonly seen: SeenRequest[]
  close (): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void

/**
 * A real HTTP server on 127.0.0.1, port 0. By default it reads the whole body
 * before calling the handler; `streaming: true` calls the handler at once.
 */
export async function startUpstream (handler: Handler, opts: { streaming?: boolean } = {}): Promise<FakeUpstream> {
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    if (opts.streaming === true) {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.alloc(0) })
      handler(req, res, Buffer.alloc(0))
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      handler(req, res, body)
    })
  })
  // a request at the proxy's own limit of 1000 header fields reaches the upstream with x-forwarded-* added;
  // Node 22+ servers answer 431 past 1000 fields by default (Node 20 kept the first 2000): test upstreams take more
  server.maxHeadersCount = 4000
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** An upstream that answers JSON naming itself, echoing method, url and headers. */
export async function startEchoUpstream (name: string): Promise<FakeUpstream> {
  return await startUpstream((req, res, body) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-upstream', name)
    res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') }))
  })
}

/**
 * A raw TCP server on 127.0.0.1, port 0, for answers no HTTP server would
 * send (garbage, resets, odd status lines, 1xx). It parses nothing, so
 * `seen` stays empty.
 */
export async function startTcpUpstream (onConnection: (socket: net.Socket) => void): Promise<FakeUpstream> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen: [],
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A port with nothing listening (bound, then closed). */
/**
 * A port with nothing listening, below the ephemeral range (32768 up) that
 * `listen(0)` hands out: a port freed after listen(0) could be taken by a test
 * file running beside this one, and the "dead" upstream would answer.
 */
export async function deadPort (): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000)
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1')
      s.once('connect', () => { s.destroy(); resolve(false) })
      s.once('error', () => resolve(true))
    })
    if (refused) return port
  }
}

/**
 * Answer `count` chunks of `chunkBytes` with a content-length, written with
 * backpressure (waiting for 'drain'); `onChunk` hears of each chunk written.
 */
export function pumpChunks (res: ServerResponse, chunkBytes: number, count: number, onChunk: (bytes: number) => void = () => {}): void {
  const chunk = Buffer.alloc(chunkBytes, 97)
  let left = count
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(chunkBytes * count) })
  const pump = (): void => {
    while (left > 0) {
      left--
      onChunk(chunk.length)
      if (!res.write(chunk)) { res.once('drain', pump); return }
    }
    res.end()
  }
  pump()
}
