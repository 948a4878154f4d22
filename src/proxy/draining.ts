import type { Server, ServerResponse } from 'node:http'

const DRAINING = Symbol('strangler.draining')

interface Drainable {
  [DRAINING]?: true
}

/** From now on, answers of this server end their connection (shutdown: Connection: close). */
export function startDraining (server: Server): void {
  (server as Drainable)[DRAINING] = true
}

/**
 * Before an answer's head is written: when its server is shutting down, the
 * answer carries `Connection: close` and its connection closes once the
 * answer is complete, so a keep-alive client never sends another request on
 * a socket about to go away. One property read per answer.
 */
export function closeIfDraining (res: ServerResponse): void {
  const server = (res.socket as { server?: Drainable } | null)?.server
  if (server !== undefined && server[DRAINING] === true) res.shouldKeepAlive = false
}
