// A minimal node:http backend for the benchmark (used when nginx is absent,
// and for the open-loop run, whose backend answers after a fixed delay).
//   node bench/backend.mjs PORT BODY_FILE [DELAY_MS]
// Answers every request with the body as application/json; prints "ready".
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const port = Number(process.argv[2])
const body = readFileSync(process.argv[3])
const delayMs = Number(process.argv[4] ?? 0)
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) }

const server = createServer((req, res) => {
  req.resume()
  const answer = () => { res.writeHead(200, headers); res.end(body) }
  if (delayMs > 0) setTimeout(answer, delayMs)
  else answer()
})
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)) })
