import type { ServeTarget } from '../config/types.js'

/**
 * FNV-1a, 32 bit, over the UTF-16 code units of the key. Stable across
 * processes, machines and restarts, so every instance of a fleet sends one
 * sticky key to one upstream.
 */
export function hashKey (key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // final avalanche (murmur3 fmix32) so near keys spread over buckets
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Pick the serving upstream. A sticky key maps to a fixed point in [0, 1);
 * without a key, a random point. The point falls into the weight bands in the
 * order the weights are written.
 */
export function pickUpstream (serve: ServeTarget, key: string | null, random: () => number = Math.random): string {
  if (serve.kind === 'single') return serve.upstream
  const unit = key === null ? random() : hashKey(key) / 4294967296
  let point = unit * serve.total
  const targets = serve.targets
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!
    if (point < t.weight) return t.upstream
    point -= t.weight
  }
  return targets[targets.length - 1]!.upstream
}
