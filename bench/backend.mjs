// A minimal node:http backend for the benchmark (used when nginx is absent,
// and for the open-loop run, whose backend answers after a fixed delay).
//   node bench/backend.mjs PORT BODY_FILE [DELAY_MS] [--vary]
// Answers every request with the body as application/json; prints "ready".
// --vary: the body is a template (bench/lib/backends.ts varyingJsonBody) whose
// `${request_id}` is replaced by 32 hex digits new on every answer, as nginx does.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const vary = process.argv.includes('--vary')
const args = process.argv.slice(2).filter((a) => a !== '--vary')
const port = Number(args[0])
const body = readFileSync(args[1])
const delayMs = Number(args[2] ?? 0)
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) }
const PLACEHOLDER = '${request_id}'
const at = body.indexOf(PLACEHOLDER)
if (vary && at === -1) throw new Error(`--vary: the body has no ${PLACEHOLDER}`)
const tail = vary ? body.subarray(at + PLACEHOLDER.length) : null
let n = 0

/** the body with a fresh 32-hex-digit id in place of the placeholder */
function varied () {
  const id = Buffer.from((n++).toString(16).padStart(32, '0'))
  return Buffer.concat([body.subarray(0, at), id, tail])
}

const server = createServer((req, res) => {
  req.resume()
  const answer = () => {
    if (!vary) { res.writeHead(200, headers); res.end(body); return }
    const b = varied()
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(b.length) })
    res.end(b)
  }
  if (delayMs > 0) setTimeout(answer, delayMs)
  else answer()
})
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)) })
