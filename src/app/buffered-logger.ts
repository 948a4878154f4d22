import { write, writeSync } from 'node:fs'
import { pino, type Logger } from 'pino'

/** Lines are written once this many characters are buffered (or on the timer). */
const MIN_WRITE_CHARS = 16 * 1024
/** The longest a buffered line waits before it is written. */
const FLUSH_INTERVAL_MS = 500
/** Past this much unwritten (stdout blocked), lines are dropped and counted. */
const MAX_BUFFERED_CHARS = 32 * 1024 * 1024
const EAGAIN_RETRY_MS = 10

export interface BufferedLogger {
  readonly logger: Logger
  /** write what is buffered now, synchronously, and stop the timer (shutdown) */
  close (): void
}

/**
 * A pino destination that buffers lines and writes them to a file
 * descriptor in large writes: one write(2) per 16 KB rather than per line.
 * (pino's own SonicBoom with minLength re-measures its whole pending string
 * with Buffer.byteLength on every line, which costs as much as it saves.)
 * Lines are kept as an array of strings and joined once per write; a write
 * in flight is never interleaved with another; a short write or EAGAIN (a
 * non-blocking pipe) is resumed; what is buffered at exit is written
 * synchronously.
 */
class BufferedDestination {
  private parts: string[] = []
  private chars = 0
  private pending: Buffer | null = null
  private writing = false
  private dropped = 0
  private readonly fd: number

  constructor (fd: number) {
    this.fd = fd
  }

  write (line: string): boolean {
    if (this.chars > MAX_BUFFERED_CHARS) {
      this.dropped++
      return false
    }
    this.parts.push(line)
    this.chars += line.length
    if (!this.writing && this.chars >= MIN_WRITE_CHARS) this.writeOut()
    return true
  }

  /** start writing whatever is buffered (the timer, pino's logger.flush()) */
  flush (cb?: (err?: Error) => void): void {
    if (!this.writing && this.chars > 0) this.writeOut()
    cb?.()
  }

  /** write everything now, blocking (exit, shutdown) */
  flushSync (): void {
    const rest = this.take()
    const data = this.pending !== null ? (rest !== null ? Buffer.concat([this.pending, rest]) : this.pending) : rest
    this.pending = null
    if (data === null) return
    let off = 0
    for (let tries = 0; off < data.length && tries < 1000; tries++) {
      try {
        off += writeSync(this.fd, data, off, data.length - off)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return
      }
    }
  }

  private take (): Buffer | null {
    if (this.chars === 0 && this.dropped === 0) return null
    if (this.dropped > 0) {
      this.parts.push(JSON.stringify({ level: 40, time: Date.now(), msg: `log output blocked: ${this.dropped} lines dropped` }) + '\n')
      this.dropped = 0
    }
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('')
    this.parts = []
    this.chars = 0
    return Buffer.from(text, 'utf8')
  }

  private writeOut (): void {
    const data = this.pending ?? this.take()
    this.pending = null
    if (data === null) return
    this.writing = true
    write(this.fd, data, 0, data.length, null, (err, written) => {
      this.writing = false
      if (err !== null) {
        if (err.code === 'EAGAIN') {
          this.pending = data
          this.writing = true
          setTimeout(() => { this.writing = false; this.writeOut() }, EAGAIN_RETRY_MS).unref()
        }
        // other errors (EPIPE: nobody reads stdout any more): the lines are lost, as with pino's own destination
        return
      }
      if (written < data.length) this.pending = data.subarray(written)
      if (this.pending !== null || this.chars >= MIN_WRITE_CHARS) this.writeOut()
    })
  }
}

/**
 * The proxy's logger: JSON lines to stdout. The access log writes a line per
 * request; written one by one, each line was its own write(2) through
 * libuv's thread pool, about a tenth of the proxy's CPU at full load. Here
 * lines are buffered and written 16 KB at a time, and at least every
 * 500 ms, so a quiet proxy's lines still show within half a second; what is
 * buffered is written on close and on exit.
 */
export function createBufferedLogger (level: string): BufferedLogger {
  const destination = new BufferedDestination(1)
  const logger = pino({ level }, destination)
  const timer = setInterval(() => { destination.flush() }, FLUSH_INTERVAL_MS)
  timer.unref()
  // lines logged after close (late shutdown messages) are written at exit
  process.on('exit', () => { destination.flushSync() })
  return {
    logger,
    close () {
      clearInterval(timer)
      destination.flushSync()
    }
  }
}
