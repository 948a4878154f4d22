import { createServer, type Server } from 'node:net'

/** `n` distinct free TCP ports on 127.0.0.1 (held together, then released). */
export async function freePorts (n: number): Promise<number[]> {
  const servers: Server[] = []
  const ports: number[] = []
  for (let i = 0; i < n; i++) {
    const s = createServer()
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    servers.push(s)
    ports.push((s.address() as { port: number }).port)
  }
  await Promise.all(servers.map(async (s) => { await new Promise((resolve) => s.close(resolve)) }))
  return ports
}
