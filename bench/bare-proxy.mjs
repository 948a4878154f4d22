// The baseline: a bare fastify + @fastify/reply-from proxy, no routing, no
// metrics, no logging. Plain ESM so no loader sits in its hot path.
//   node bench/bare-proxy.mjs PORT UPSTREAM_URL
import Fastify from 'fastify'
import replyFrom from '@fastify/reply-from'

const port = Number(process.argv[2])
const base = process.argv[3]

const app = Fastify({ logger: false })
await app.register(replyFrom, { base, undici: { connections: 128, pipelining: 1 } })
app.all('/*', (request, reply) => { reply.from(request.url) })
await app.listen({ port, host: '127.0.0.1' })
process.stdout.write('ready\n')
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
