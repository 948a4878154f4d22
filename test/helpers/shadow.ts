import { MemoryStore } from '../../src/store/memory-store.js'
import type { DiffRecord } from '../../src/store/record.js'
import type { RunningProxy } from '../../src/app/start-proxy.js'
import { startTestProxy } from './proxy.js'
import type { StartProxyOptions } from '../../src/app/start-proxy.js'

export interface ShadowProxy {
  readonly proxy: RunningProxy
  readonly store: MemoryStore
  /** every record written so far, once all mirrors in flight have settled */
  records (): Promise<DiffRecord[]>
  close (): Promise<void>
}

/** A proxy with an in-memory store, for reading records back in tests. */
export async function startShadowProxy (rulesYaml: string, opts: Partial<StartProxyOptions> = {}): Promise<ShadowProxy> {
  const store = new MemoryStore()
  const proxy = await startTestProxy(rulesYaml, { store, ...opts })
  return {
    proxy,
    store,
    records: async () => {
      await proxy.settled()
      return [...store.records()]
    },
    close: async () => { await proxy.close() }
  }
}

/** A promise with its resolve function, for holding an upstream until the test says so. */
export function gate (): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {}
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open }
}
