import type { RunningProxy } from './start-proxy.js'

export interface SignalOptions {
  /** called with the exit code once shutdown finished (process.exit by default) */
  readonly exit?: (code: number) => void
}

/**
 * SIGHUP reloads the rules; SIGTERM and SIGINT stop accepting, drain in-flight
 * requests (bounded), flush records, and exit 0. A second SIGTERM/SIGINT
 * during shutdown exits at once with 1. Returns a function removing the handlers.
 */
export function installSignalHandlers (proxy: RunningProxy, opts: SignalOptions = {}): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  let stopping = false
  const onHup = (): void => { void proxy.reloader.reload('SIGHUP') }
  const onStop = (signal: string): void => {
    if (stopping) {
      proxy.logger.error({ signal }, 'second signal during shutdown: exiting now')
      exit(1)
      return
    }
    stopping = true
    proxy.logger.info({ signal }, 'shutting down: draining in-flight requests')
    proxy.close().then(
      () => { proxy.logger.info('stopped'); exit(0) },
      (err: unknown) => { proxy.logger.error({ err }, 'shutdown failed'); exit(1) }
    )
  }
  const onTerm = (): void => onStop('SIGTERM')
  const onInt = (): void => onStop('SIGINT')
  process.on('SIGHUP', onHup)
  process.on('SIGTERM', onTerm)
  process.on('SIGINT', onInt)
  return () => {
    process.off('SIGHUP', onHup)
    process.off('SIGTERM', onTerm)
    process.off('SIGINT', onInt)
  }
}
