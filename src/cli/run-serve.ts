import { startProxy, type StartProxyOptions } from '../app/start-proxy.js'
import { installSignalHandlers } from '../app/signals.js'
import { StranglerError } from '../errors.js'
import type { CliIo } from './io.js'

/**
 * `strangler serve`: start, then run until SIGTERM/SIGINT; resolves with the
 * exit code once shutdown has drained and flushed. An invalid rules file
 * prints every error and resolves 1 without starting; so do a port that
 * cannot be listened on (LISTEN_FAILED) and a store folder that cannot be
 * written (STORE_UNWRITABLE), each in one line, with nothing left running.
 */
export async function runServe (opts: StartProxyOptions, io: CliIo): Promise<number> {
  let proxy
  try {
    proxy = await startProxy(opts)
  } catch (err) {
    if (err instanceof StranglerError) {
      io.stderr(`strangler serve: ${err.code}: ${err.message}\n`)
      return err.code === 'USAGE' ? 2 : 1
    }
    throw err
  }
  // one human line whatever the log level: where to point clients and probes
  io.stderr(`strangler: proxy listening on ${proxy.url}${proxy.adminUrl !== null ? `, admin on ${proxy.adminUrl}` : ''} (rules: ${opts.rulesFile})\n`)
  return await new Promise<number>((resolve) => {
    installSignalHandlers(proxy, { exit: resolve })
  })
}
