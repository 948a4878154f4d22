import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { DiffRecord } from './record.js'
import type { ReadOptions } from './store.js'
import { recordFilter } from './record-filter.js'
import { isRecordFileName } from './file-name.js'

/** A line of a store file that was not a record. */
export interface SkippedLine {
  /** path of the file */
  readonly file: string
  /** 1-based line number (for `.ndjson.gz`, in the decompressed text) */
  readonly line: number
  /**
   * `torn`: the file's last line, without its newline, that does not parse
   * (a crash mid-write, or a writer still at work), or a truncated `.gz`.
   * `malformed`: a complete line that is not JSON or not a record.
   */
  readonly reason: 'torn' | 'malformed'
  readonly message: string
}

export interface ReadRecordsOptions extends ReadOptions {
  /** told about every line skipped; reading goes on */
  readonly onSkip?: (skip: SkippedLine) => void
}

/**
 * Streams the records of a store directory: every `*.ndjson` (and
 * `*.ndjson.gz`) file directly in `dir`, in lexical order of file names
 * (time order for one process), each file line by line, so memory stays
 * flat whatever the store's size. Blank lines are ignored; torn and malformed
 * lines are skipped and reported to `onSkip`. A missing `dir` yields nothing.
 *
 * Filters are checked on the raw line first (a route name or `at` that cannot
 * match spares the `JSON.parse`), then exactly on the parsed record.
 */
export async function * readRecords (dir: string, opts: ReadRecordsOptions = {}): AsyncGenerator<DiffRecord, void, undefined> {
  yield * readRecordFiles(await listRecordFiles(dir), opts)
}

/** Like `readRecords`, over the given files in the given order; a file that does not exist yields nothing. */
export async function * readRecordFiles (files: readonly string[], opts: ReadRecordsOptions = {}): AsyncGenerator<DiffRecord, void, undefined> {
  const keep = recordFilter(opts)
  const mayKeep = linePrefilter(opts)
  const onSkip = opts.onSkip ?? (() => {})
  for (const file of files) {
    const raw = createReadStream(file)
    const stream: Readable = file.endsWith('.gz') ? pipeline(raw, createGunzip(), () => {}) : raw
    let lineNo = 0
    const handle = (text: string, terminated: boolean): DiffRecord | undefined => {
      lineNo++
      if (text.endsWith('\r')) text = text.slice(0, -1)
      if (text.trim() === '') return undefined
      if (terminated && !mayKeep(text)) return undefined
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (err) {
        onSkip({ file, line: lineNo, reason: terminated ? 'malformed' : 'torn', message: (err as Error).message })
        return undefined
      }
      if (!isRecordShaped(value)) {
        onSkip({ file, line: lineNo, reason: 'malformed', message: 'not a diff record (an object with string "at" and "route")' })
        return undefined
      }
      return keep(value) ? value : undefined
    }
    try {
      for await (const batch of splitLines(stream, handle)) yield * batch
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') continue // removed since the listing (rotation, cleanup)
      if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
        onSkip({ file, line: lineNo + 1, reason: 'torn', message: (err as Error).message })
        continue
      }
      throw err
    }
  }
}

/** Record files of `dir`, sorted by name; none when `dir` does not exist. */
async function listRecordFiles (dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw err
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isRecordFileName(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name))
}

/**
 * Splits a byte stream on `\n` (bytes, so a UTF-8 character cut across
 * chunks is never mangled) and maps each line through `handle`; yields the
 * kept values one batch per chunk. The last line, if it has no newline, is
 * passed with `terminated` false.
 */
async function * splitLines<T> (stream: AsyncIterable<Buffer>, handle: (text: string, terminated: boolean) => T | undefined): AsyncGenerator<T[]> {
  let pending: Buffer[] = []
  for await (const chunk of stream) {
    const out: T[] = []
    let start = 0
    let nl: number
    while ((nl = chunk.indexOf(10, start)) !== -1) {
      let text: string
      if (pending.length > 0) {
        pending.push(chunk.subarray(start, nl))
        text = Buffer.concat(pending).toString('utf8')
        pending = []
      } else {
        text = chunk.toString('utf8', start, nl)
      }
      const value = handle(text, true)
      if (value !== undefined) out.push(value)
      start = nl + 1
    }
    if (start < chunk.length) pending.push(chunk.subarray(start))
    if (out.length > 0) yield out
  }
  if (pending.length > 0) {
    const value = handle(Buffer.concat(pending).toString('utf8'), false)
    if (value !== undefined) yield [value]
  }
}

function isRecordShaped (value: unknown): value is DiffRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return typeof v.at === 'string' && typeof v.route === 'string'
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
/** a route name every JSON writer writes as-is (printable ASCII, no quote, backslash or slash) */
const PLAIN_NAME = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7e]*$/

/**
 * A cheap, conservative test on the raw line: false only when the line
 * certainly fails the filters. Unusual lines fall through to the exact check.
 */
function linePrefilter (opts: ReadOptions): (line: string) => boolean {
  const routeNeedle = opts.route !== undefined && PLAIN_NAME.test(opts.route) ? `"${opts.route}"` : undefined
  const sinceIso = opts.since?.toISOString()
  if (routeNeedle === undefined && sinceIso === undefined) return () => true
  return (line) => {
    // a line with \u escapes may spell the name differently: leave it to the exact check
    if (routeNeedle !== undefined && !line.includes(routeNeedle) && !line.includes('\\u')) return false
    if (sinceIso !== undefined) {
      const at = line.indexOf('"at":"')
      // trust the first "at" only when no nested object opens before it
      if (at > 0) {
        const brace = line.indexOf('{', 1)
        if (brace === -1 || brace > at) {
          const value = line.slice(at + 6, at + 30)
          if (ISO_UTC.test(value) && value < sinceIso) return false
        }
      }
    }
    return true
  }
}
