import net from 'node:net'

export interface RawResponse {
  readonly status: number
  readonly head: string
  readonly body: string
}

/** Send bytes exactly as given (no client-side URL normalization) and read one response. */
export async function rawRequest (port: number, method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
  const lines = [`${method} ${target} HTTP/1.1`]
  if (!('host' in headers)) lines.push('host: 127.0.0.1')
  if (!('connection' in headers)) lines.push('connection: close')
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  if (body.length > 0) lines.push(`content-length: ${Buffer.byteLength(body)}`)
  return await rawExchange(port, lines.join('\r\n') + '\r\n\r\n' + body)
}

/**
 * Send `text` as is (a request line of any form, repeated headers, no Host)
 * and read until the server closes: the first response's status, head and
 * the rest. Ask for `connection: close`, or the server keeps the socket open.
 */
export async function rawExchange (port: number, text: string): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.write(text)
    const chunks: Buffer[] = []
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8')
      const split = all.indexOf('\r\n\r\n')
      const head = split === -1 ? all : all.slice(0, split)
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head)
      resolve({ status: m ? Number(m[1]) : 0, head, body: split === -1 ? '' : all.slice(split + 4) })
    })
  })
}
