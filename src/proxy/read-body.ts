import { Readable } from 'node:stream'

export type ReadBodyResult =
  | { readonly error: null; readonly complete: true; readonly buffer: Buffer }
  /** over the cap: `rest` replays what was read, then the remainder */
  | { readonly error: null; readonly complete: false; readonly rest: Readable }
  | { readonly error: Error; readonly complete: false }

/**
 * Read a request body into memory up to `cap` bytes. Past the cap, stop
 * reading and return a stream that yields the bytes read so far followed by
 * the rest, so the primary can still stream the whole body.
 */
export function readBody (body: Readable, cap: number): Promise<ReadBodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const cleanup = (): void => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
    }
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk)
      size += chunk.length
      if (size > cap && !settled) {
        settled = true
        cleanup()
        body.pause()
        resolve({ error: null, complete: false, rest: replay(chunks, body) })
      }
    }
    const onEnd = (): void => {
      if (settled) return
      settled = true
      cleanup()
      resolve({ error: null, complete: true, buffer: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) })
    }
    const onError = (err: Error): void => {
      if (settled) return
      settled = true
      cleanup()
      resolve({ error: err, complete: false })
    }
    body.on('data', onData)
    body.on('end', onEnd)
    body.on('error', onError)
  })
}

function replay (head: Buffer[], rest: Readable): Readable {
  async function * gen (): AsyncGenerator<Buffer> {
    for (const c of head) yield c
    for await (const c of rest) yield c as Buffer
  }
  return Readable.from(gen(), { objectMode: false })
}
