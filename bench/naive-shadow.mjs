// The naive shadow, a sibling of the bare baseline: the primary is proxied
// with reply-from; the same request goes to the shadow with undici; both
// bodies are buffered, JSON.parse'd and deep-compared on the main thread, and
// a record is appended to a file. The client gets the primary's buffered body.
//   node bench/naive-shadow.mjs PORT PRIMARY_URL SHADOW_URL RECORDS_FILE
import Fastify from 'fastify'
import replyFrom from '@fastify/reply-from'
import { Pool } from 'undici'
import { createWriteStream } from 'node:fs'

const [port, base, shadowBase, recordsFile] = [Number(process.argv[2]), process.argv[3], process.argv[4], process.argv[5]]
const shadowPool = new Pool(shadowBase, { connections: 128, pipelining: 1 })
const records = createWriteStream(recordsFile, { flags: 'a' })

/** every difference between two JSON values, by path */
function diff (a, b, path, out) {
  if (a === b) return out
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    out.push({ kind: 'changed', path, primary: a, shadow: b })
    return out
  }
  if (Array.isArray(a)) {
    const n = Math.max(a.length, b.length)
    for (let i = 0; i < n; i++) diff(a[i], b[i], `${path}[${i}]`, out)
    return out
  }
  for (const k of Object.keys(a)) {
    if (!(k in b)) out.push({ kind: 'removed', path: `${path}.${k}`, primary: a[k] })
    else diff(a[k], b[k], `${path}.${k}`, out)
  }
  for (const k of Object.keys(b)) if (!(k in a)) out.push({ kind: 'added', path: `${path}.${k}`, shadow: b[k] })
  return out
}

async function readAll (stream) {
  const chunks = []
  for await (const c of stream) chunks.push(c)
  return Buffer.concat(chunks)
}

function record (request, primary, shadow) {
  let differences
  try {
    differences = primary.status !== shadow.status
      ? [{ kind: 'status', path: '$', primary: primary.status, shadow: shadow.status }]
      : diff(JSON.parse(primary.body.toString('utf8')), JSON.parse(shadow.body.toString('utf8')), '$', [])
  } catch (err) {
    differences = [{ kind: 'body', path: '$', error: String(err) }]
  }
  records.write(JSON.stringify({ at: new Date().toISOString(), method: request.method, url: request.url, outcome: differences.length === 0 ? 'match' : 'mismatch', differences }) + '\n')
}

const app = Fastify({ logger: false })
await app.register(replyFrom, { base, undici: { connections: 128, pipelining: 1 } })
app.all('/*', (request, reply) => {
  const shadow = shadowPool.request({ path: request.url, method: request.method, headers: { ...request.headers, 'x-strangler-shadow': '1' } })
    .then(async (res) => ({ status: res.statusCode, body: await readAll(res.body) }))
    .catch((err) => ({ status: 0, body: Buffer.from(String(err)) }))
  reply.from(request.url, {
    onResponse: (req, rep, res) => {
      readAll(res.stream).then((body) => {
        rep.send(body)
        shadow.then((s) => record(request, { status: res.statusCode, body }, s))
      }, (err) => rep.send(err))
    }
  })
})
await app.listen({ port, host: '127.0.0.1' })
process.stdout.write('ready\n')
process.on('SIGTERM', () => { app.close().then(() => { records.end(); process.exit(0) }) })
