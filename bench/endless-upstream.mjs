// An upstream that answers 200 at once and then streams its body forever
// (chunked, 16 KiB chunks written as fast as the socket takes them): the
// "never-ending shadow body" of the benchmark.
//   node bench/endless-upstream.mjs PORT
import { createServer } from 'node:http'

const port = Number(process.argv[2])
const chunk = Buffer.alloc(16 * 1024, 97)
const server = createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': 'application/octet-stream' })
  let open = true
  res.on('close', () => { open = false })
  const pump = () => {
    while (open) {
      if (!res.write(chunk)) { res.once('drain', pump); return }
    }
  }
  pump()
})
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
