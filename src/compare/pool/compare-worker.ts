/**
 * Worker thread of compare-pool.ts: runs compareExchange on large pairs off
 * the main event loop. One job at a time; replies with the result or the
 * message of what threw.
 */
import { parentPort } from 'node:worker_threads'
import type { CompareConfig } from '../../config/types.js'
import { compareExchange } from '../compare-exchange.js'
import type { CompareJob, CompareReply, WireResponse } from './compare-job.js'
import type { CapturedResponse } from '../captured-response.js'

/** Configs arrive as fresh clones; keep one object per distinct config so compiled paths are reused. */
const configs = new Map<string, CompareConfig>()

function canonicalConfig (cfg: CompareConfig): CompareConfig {
  const key = JSON.stringify(cfg)
  let c = configs.get(key)
  if (c === undefined) {
    if (configs.size >= 256) configs.clear()
    c = cfg
    configs.set(key, c)
  }
  return c
}

function toCaptured (w: WireResponse): CapturedResponse {
  return {
    status: w.status,
    headers: w.headers,
    body: w.body === null ? null : Buffer.from(w.body.buffer, w.body.byteOffset, w.body.byteLength)
  }
}

const port = parentPort
if (port === null) throw new Error('compare-worker.ts runs as a worker thread only')

port.on('message', (job: CompareJob) => {
  let reply: CompareReply
  try {
    const result = compareExchange(toCaptured(job.primary), toCaptured(job.shadow), canonicalConfig(job.cfg), job.opts, job.learn)
    reply = { id: job.id, ok: true, result }
  } catch (err) {
    reply = { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) }
  }
  port.postMessage(reply)
})
