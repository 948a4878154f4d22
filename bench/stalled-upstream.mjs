// An upstream that accepts connections, reads requests and never answers:
// the "stalled shadow" of the benchmark.
//   node bench/stalled-upstream.mjs PORT
import { createServer } from 'node:net'

const port = Number(process.argv[2])
const sockets = new Set()
const server = createServer((socket) => {
  sockets.add(socket)
  socket.on('data', () => {})
  socket.on('error', () => {})
  socket.on('close', () => sockets.delete(socket))
})
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => {
  for (const s of sockets) s.destroy()
  server.close(() => process.exit(0))
})
