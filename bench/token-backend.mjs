// A tiny login service for the learned-correlation benchmark: each side issues
// its own session token, so every compared login teaches one pair.
//   node bench/token-backend.mjs PORT SIDE
// `GET /api/login?i=N` answers {"user":{"token":"SIDE-N-<hex>"}}, the hex a
// hash of SIDE and N (the same token for the same N, a different one per
// side); anything else answers 404. Prints "ready".
import { createServer } from 'node:http'
import { createHash } from 'node:crypto'

const port = Number(process.argv[2])
const side = process.argv[3] ?? 'primary'

const server = createServer((req, res) => {
  req.resume()
  const url = new URL(req.url ?? '/', 'http://x')
  const i = url.searchParams.get('i')
  if (url.pathname !== '/api/login' || i === null || !/^\d+$/.test(i)) {
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end('{"error":"not found"}')
    return
  }
  const hex = createHash('sha256').update(`${side}:${i}`).digest('hex').slice(0, 24)
  const body = JSON.stringify({ user: { name: `user${i}`, token: `${side}-${i}-${hex}` } })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
  res.end(body)
})
server.keepAliveTimeout = 65_000
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)) })
